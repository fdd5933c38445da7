-- name: InsertSleepSession :one
INSERT INTO sleep_sessions (wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min,
                            in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication)
VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: UpdateSleepSession :execrows
UPDATE sleep_sessions
SET wake_date = ?, bed_time = ?, wake_time = ?, latency_min = ?, awakenings = ?, quality = ?, duration_min = ?,
    in_bed_time = ?, waso_min = ?, out_of_bed_time = ?, rested = ?, alcohol_drinks = ?, caffeine_drinks = ?,
    medication = ?
WHERE id = ?;

-- name: DeleteSleepSession :exec
DELETE FROM sleep_sessions WHERE id = ?;

-- name: GetSleepSession :one
SELECT id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min,
       in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication
FROM sleep_sessions WHERE id = ?;

-- name: SleepSessionExists :one
SELECT COUNT(*) FROM sleep_sessions WHERE id = ?;

-- name: ListSleepSessionsInRange :many
-- Sessions whose wake date lies in [from, to], in the order of SPEC 5.14.
SELECT id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min,
       in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication
FROM sleep_sessions
WHERE wake_date >= @from_date AND wake_date <= @to_date
ORDER BY wake_date, wake_time, id;

-- name: ListOverlapCandidates :many
-- Sessions that can overlap a session being written: wake dates in
-- [from, to] (sleep.OverlapCandidateDates), without the session itself on an
-- update (exclude_id 0 on a create, since ids start at 1).
SELECT id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min,
       in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication
FROM sleep_sessions
WHERE wake_date >= @from_date AND wake_date <= @to_date AND id <> @exclude_id;

-- name: ListRecentSleepSessions :many
-- Every session of the N most recent wake dates that have sessions (SPEC 5.13),
-- in one statement rather than one query per day.
SELECT id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min,
       in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication
FROM sleep_sessions
WHERE wake_date IN (
    SELECT DISTINCT wake_date FROM sleep_sessions ORDER BY wake_date DESC LIMIT @days
)
ORDER BY wake_date, wake_time, id;

-- name: GetSleepWindow :one
SELECT wake_time, window_min, since FROM sleep_window WHERE id = 1;

-- name: PutSleepWindow :exec
INSERT INTO sleep_window (id, wake_time, window_min, since) VALUES (1, ?, ?, ?)
ON CONFLICT (id) DO UPDATE SET wake_time = excluded.wake_time, window_min = excluded.window_min,
                               since = excluded.since;

-- name: DeleteSleepWindow :exec
DELETE FROM sleep_window WHERE id = 1;
