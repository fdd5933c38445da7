-- name: InsertFrictionEvent :one
INSERT INTO friction_events (recorded_at, form_time_ms, error_kind, retry_count, immediate_edit, follow_up_failure)
VALUES (?, ?, ?, ?, ?, ?)
RETURNING id;

-- name: ListFrictionEventsInRange :many
SELECT recorded_at, form_time_ms, error_kind, retry_count, immediate_edit, follow_up_failure
FROM friction_events
WHERE recorded_at >= @from_instant AND recorded_at <= @to_instant
ORDER BY recorded_at, id;
