-- name: UpsertDailyIntensity :one
-- One statement, so concurrent first writes for a date never fail (SPEC 6.5).
INSERT INTO exercise_events (date, intensity) VALUES (?, ?)
ON CONFLICT (date) WHERE start_time IS NULL AND duration_min IS NULL
DO UPDATE SET intensity = excluded.intensity
RETURNING id;

-- name: InsertTimedExercise :one
INSERT INTO exercise_events (date, intensity, start_time, duration_min) VALUES (?, ?, ?, ?)
RETURNING id;

-- name: ListExerciseIntensities :many
SELECT date, intensity FROM exercise_events
WHERE date >= @from_date AND date <= @to_date
ORDER BY date, id;
