-- name: CreateLoginSession :exec
INSERT INTO login_sessions (id_hash, csrf_token, created_at, expires_at, last_seen_at, user_agent)
VALUES (?, ?, ?, ?, ?, ?);

-- name: GetLoginSession :one
SELECT id_hash, csrf_token, created_at, expires_at, last_seen_at, user_agent
FROM login_sessions WHERE id_hash = ?;

-- name: TouchLoginSession :exec
UPDATE login_sessions SET last_seen_at = ? WHERE id_hash = ?;

-- name: DeleteLoginSession :exec
DELETE FROM login_sessions WHERE id_hash = ?;

-- name: DeleteExpiredLoginSessions :execrows
DELETE FROM login_sessions WHERE expires_at <= ?;
