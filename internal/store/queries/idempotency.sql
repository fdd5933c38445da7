-- name: GetIdempotencyKey :one
SELECT key, route, body_hash, status, response, created_at
FROM idempotency_keys WHERE key = sqlc.arg(key) AND created_at > sqlc.arg(expired_before);

-- name: InsertIdempotencyKey :execrows
INSERT INTO idempotency_keys (key, route, body_hash, status, response, created_at)
VALUES (?, ?, ?, ?, ?, ?)
ON CONFLICT (key) DO NOTHING;

-- name: DeleteIdempotencyKeyIfExpired :exec
DELETE FROM idempotency_keys WHERE key = sqlc.arg(key) AND created_at <= sqlc.arg(expired_before);

-- name: DeleteExpiredIdempotencyKeys :execrows
DELETE FROM idempotency_keys WHERE created_at <= ?;

-- name: UpdateIdempotencyResponse :exec
UPDATE idempotency_keys SET status = ?, response = ? WHERE key = ?;
