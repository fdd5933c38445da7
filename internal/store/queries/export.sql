-- Queries of the export (SPEC SPEC 13.1). They run inside one read transaction
-- (store/export.go) and return one page each, so that an export streams:
-- memory holds a page, never the diary.

-- name: ExportSessionPageEnd :one
-- The wake date of the session page_size sessions after the cursor date: the
-- last date of the next page. No row means the rest fits in one page.
SELECT wake_date FROM sleep_sessions
WHERE wake_date > sqlc.arg(after_date)
ORDER BY wake_date
LIMIT 1 OFFSET sqlc.arg(page_size);

-- name: ExportSessionPage :many
-- Every session of the wake dates in (after_date, last_date], ordered by
-- date, then the naive bed datetime (a bed time later than the wake time lies
-- on the previous day, SPEC 6.1), then id.
SELECT id, wake_date, bed_time, wake_time, latency_min, awakenings, quality, duration_min,
       in_bed_time, waso_min, out_of_bed_time, rested, alcohol_drinks, caffeine_drinks, medication
FROM sleep_sessions
WHERE wake_date > sqlc.arg(after_date) AND wake_date <= sqlc.arg(last_date)
ORDER BY wake_date, CASE WHEN bed_time > wake_time THEN 0 ELSE 1 END, bed_time, id;

-- name: ExportExercisePage :many
-- Exercise records after the cursor (date, id), in date then id order. The
-- first term lets the date index seek to the cursor.
SELECT id, date, intensity, start_time, duration_min FROM exercise_events
WHERE date >= sqlc.arg(after_date) AND (date > sqlc.arg(after_date) OR id > sqlc.arg(after_id))
ORDER BY date, id
LIMIT sqlc.arg(page_size);

-- name: ExportNotePage :many
-- Notes after the cursor (date, id), in date then id order (see above).
SELECT id, date, body FROM notes
WHERE date >= sqlc.arg(after_date) AND (date > sqlc.arg(after_date) OR id > sqlc.arg(after_id))
ORDER BY date, id
LIMIT sqlc.arg(page_size);
