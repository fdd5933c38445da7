-- Initial schema. Dates are 'YYYY-MM-DD' text and clock times 'HH:MM:SS' text so
-- that text order equals time order; CHECK constraints mirror SPEC §5.2 ranges so
-- the database refuses what the API would refuse.

-- +goose Up
CREATE TABLE sleep_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    wake_date    TEXT    NOT NULL CHECK (wake_date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                                         AND wake_date BETWEEN '1900-01-01' AND '2999-12-31'),
    bed_time     TEXT    NOT NULL CHECK (bed_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' AND bed_time < '24:00:00'),
    wake_time    TEXT    NOT NULL CHECK (wake_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]' AND wake_time < '24:00:00'),
    latency_min  INTEGER NOT NULL CHECK (latency_min BETWEEN 0 AND 180),
    awakenings   INTEGER NOT NULL CHECK (awakenings BETWEEN 0 AND 10),
    quality      INTEGER NOT NULL CHECK (quality BETWEEN 1 AND 5),
    duration_min INTEGER NOT NULL CHECK (duration_min > 0)
);
CREATE INDEX sleep_sessions_by_wake ON sleep_sessions (wake_date, wake_time, id);

-- A row without start_time and duration_min is the date's daily intensity
-- (at most one per date, enforced by the partial unique index); other rows are
-- timed events.
CREATE TABLE exercise_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    date         TEXT    NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                                         AND date BETWEEN '1900-01-01' AND '2999-12-31'),
    intensity    TEXT    NOT NULL CHECK (intensity IN ('none', 'light', 'hard')),
    start_time   TEXT             CHECK (start_time IS NULL OR (start_time GLOB '[0-2][0-9]:[0-5][0-9]:[0-5][0-9]'
                                                                AND start_time < '24:00:00')),
    duration_min INTEGER          CHECK (duration_min IS NULL OR duration_min BETWEEN 1 AND 1440)
);
CREATE UNIQUE INDEX exercise_daily_per_date ON exercise_events (date)
    WHERE start_time IS NULL AND duration_min IS NULL;
CREATE INDEX exercise_events_by_date ON exercise_events (date);

CREATE TABLE notes (
    id   INTEGER PRIMARY KEY AUTOINCREMENT,
    date TEXT    NOT NULL CHECK (date GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'
                                 AND date BETWEEN '1900-01-01' AND '2999-12-31'),
    body TEXT    NOT NULL CHECK (length(body) <= 1000)
);
CREATE INDEX notes_by_date ON notes (date, id);

-- Key/value settings: user_timezone, session_secret, admin_password_hash.
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- Server-side login sessions (SPEC §4.5). Only the SHA-256 of the session id is
-- stored; instants are Unix seconds (UTC).
CREATE TABLE login_sessions (
    id_hash      BLOB    PRIMARY KEY CHECK (length(id_hash) = 32),
    csrf_token   TEXT    NOT NULL CHECK (length(csrf_token) = 43),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER NOT NULL CHECK (expires_at > created_at),
    last_seen_at INTEGER NOT NULL,
    user_agent   TEXT    NOT NULL CHECK (length(user_agent) <= 256)
) WITHOUT ROWID;
CREATE INDEX login_sessions_by_expiry ON login_sessions (expires_at);

-- Friction telemetry (SPEC §5.21) is append-only: triggers refuse updates and deletes.
CREATE TABLE friction_events (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at       TEXT    NOT NULL CHECK (recorded_at GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]:[0-5][0-9]Z'),
    form_time_ms      INTEGER NOT NULL CHECK (form_time_ms BETWEEN 0 AND 2147483647),
    error_kind        TEXT             CHECK (error_kind IS NULL OR length(error_kind) BETWEEN 1 AND 100),
    retry_count       INTEGER NOT NULL CHECK (retry_count BETWEEN 0 AND 2147483647),
    immediate_edit    INTEGER NOT NULL CHECK (immediate_edit IN (0, 1)),
    follow_up_failure INTEGER NOT NULL CHECK (follow_up_failure IN (0, 1))
);
CREATE INDEX friction_events_by_time ON friction_events (recorded_at);

-- +goose StatementBegin
CREATE TRIGGER friction_events_no_update BEFORE UPDATE ON friction_events
BEGIN
    SELECT RAISE(ABORT, 'friction events are append-only');
END;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE TRIGGER friction_events_no_delete BEFORE DELETE ON friction_events
BEGIN
    SELECT RAISE(ABORT, 'friction events are append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE friction_events;
DROP TABLE login_sessions;
DROP TABLE settings;
DROP TABLE notes;
DROP TABLE exercise_events;
DROP TABLE sleep_sessions;
