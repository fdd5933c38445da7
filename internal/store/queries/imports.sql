-- Reads of the import rules (SPEC 13.4): what the database already holds
-- around an import's dates. The commit runs them again inside its write
-- transaction.

-- name: ListImportSessions :many
SELECT wake_date, bed_time, wake_time FROM sleep_sessions
WHERE wake_date >= @from_date AND wake_date <= @to_date
ORDER BY wake_date, wake_time, id;

-- name: ListImportExercise :many
SELECT date, intensity, start_time, duration_min FROM exercise_events
WHERE date >= @from_date AND date <= @to_date
ORDER BY date, id;

-- name: CountSleepWindow :one
SELECT COUNT(*) FROM sleep_window;

-- name: InsertImportedDailyIntensity :exec
-- The rules admit a daily intensity only for a date without one, checked in
-- the same transaction, so a plain insert suffices (the unique index guards).
INSERT INTO exercise_events (date, intensity) VALUES (?, ?);
