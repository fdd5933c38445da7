-- name: CountAPITokens :one
SELECT count(*) FROM api_tokens;

-- name: InsertAPIToken :one
INSERT INTO api_tokens (token_hash, name, scope, created_at, expires_at)
VALUES (?, ?, ?, ?, ?)
RETURNING id;

-- name: ListAPITokens :many
SELECT id, name, scope, created_at, expires_at, last_used_at
FROM api_tokens ORDER BY created_at DESC, id DESC;

-- name: GetAPITokenByHash :one
SELECT id, token_hash, name, scope, created_at, expires_at, last_used_at
FROM api_tokens WHERE token_hash = ?;

-- name: GetAPITokenHash :one
SELECT token_hash FROM api_tokens WHERE id = ?;

-- name: TouchAPIToken :exec
UPDATE api_tokens SET last_used_at = ? WHERE id = ?;

-- name: DeleteAPIToken :exec
DELETE FROM api_tokens WHERE id = ?;
