-- Part II, SPEC §12: the Consensus Sleep Diary items of a session, nullable
-- quality/latency/awakenings for imported nights (§12.1), and the sleep-window
-- prescription (§12.4). SQLite cannot drop NOT NULL in place, so the sessions
-- table is rebuilt with the same ids (AUTOINCREMENT keeps its counter in
-- sqlite_sequence, which the rename carries over).

-- +goose Up
CREATE TABLE sleep_sessions_v2 (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    wake_date       TEXT    NOT NULL CHECK (wake_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                                            AND wake_date BETWEEN '1900-01-01' AND '2999-12-31'),
    bed_time        TEXT    NOT NULL CHECK (bed_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' AND bed_time < '24:00:00'),
    wake_time       TEXT    NOT NULL CHECK (wake_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' AND wake_time < '24:00:00'),
    latency_min     INTEGER          CHECK (latency_min IS NULL OR latency_min BETWEEN 0 AND 180),
    awakenings      INTEGER          CHECK (awakenings IS NULL OR awakenings BETWEEN 0 AND 10),
    quality         INTEGER          CHECK (quality IS NULL OR quality BETWEEN 1 AND 5),
    duration_min    INTEGER NOT NULL CHECK (duration_min > 0),
    in_bed_time     TEXT             CHECK (in_bed_time IS NULL OR (in_bed_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
                                                                    AND in_bed_time < '24:00:00')),
    waso_min        INTEGER          CHECK (waso_min IS NULL OR waso_min BETWEEN 0 AND 720),
    out_of_bed_time TEXT             CHECK (out_of_bed_time IS NULL OR (out_of_bed_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
                                                                        AND out_of_bed_time < '24:00:00')),
    rested          INTEGER          CHECK (rested IS NULL OR rested BETWEEN 1 AND 5),
    alcohol_drinks  INTEGER          CHECK (alcohol_drinks IS NULL OR alcohol_drinks BETWEEN 0 AND 30),
    caffeine_drinks INTEGER          CHECK (caffeine_drinks IS NULL OR caffeine_drinks BETWEEN 0 AND 30),
    medication      TEXT             CHECK (medication IS NULL OR length(medication) BETWEEN 1 AND 200)
);
INSERT INTO sleep_sessions_v2 (id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min)
    SELECT id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min FROM sleep_sessions;
DROP TABLE sleep_sessions;
ALTER TABLE sleep_sessions_v2 RENAME TO sleep_sessions;
CREATE INDEX sleep_sessions_by_wake ON sleep_sessions (wake_date, wake_time, id);

-- At most one prescription: the row with id 1.
CREATE TABLE sleep_window (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    wake_time  TEXT    NOT NULL CHECK (wake_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' AND wake_time < '24:00:00'),
    window_min INTEGER NOT NULL CHECK (window_min BETWEEN 300 AND 720),
    since      TEXT    NOT NULL CHECK (since GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                                       AND since BETWEEN '1900-01-01' AND '2999-12-31')
);

-- +goose Down
DROP TABLE sleep_window;
CREATE TABLE sleep_sessions_v1 (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    wake_date    TEXT    NOT NULL,
    bed_time     TEXT    NOT NULL,
    wake_time    TEXT    NOT NULL,
    latency_min  INTEGER NOT NULL,
    awakenings   INTEGER NOT NULL,
    quality      INTEGER NOT NULL,
    duration_min INTEGER NOT NULL
);
INSERT INTO sleep_sessions_v1
    SELECT id, wake_date, bed_time, wake_time, coalesce(latency_min, 0), coalesce(awakenings, 0),
           coalesce(quality, 3), duration_min FROM sleep_sessions;
DROP TABLE sleep_sessions;
ALTER TABLE sleep_sessions_v1 RENAME TO sleep_sessions;
CREATE INDEX sleep_sessions_by_wake ON sleep_sessions (wake_date, wake_time, id);
