-- Part II, SPEC §16: personal API tokens. Only the SHA-256 of a token is
-- stored; instants are Unix seconds (UTC). expires_at NULL means "never";
-- last_used_at NULL means "not used yet". AUTOINCREMENT keeps ids from being
-- reused, so a revoked id can never come back as someone else's token.

-- +goose Up
CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   BLOB    NOT NULL UNIQUE CHECK (length(token_hash) = 32),
    name         TEXT    NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
    scope        TEXT    NOT NULL CHECK (scope IN ('read', 'write')),
    created_at   INTEGER NOT NULL,
    expires_at   INTEGER          CHECK (expires_at IS NULL OR expires_at > created_at),
    last_used_at INTEGER
);

-- +goose Down
DROP TABLE api_tokens;
