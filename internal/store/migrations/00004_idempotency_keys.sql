-- Idempotent writes (SPEC §15.1). One row per Idempotency-Key that produced a
-- 2xx response: the route it was used on, the SHA-256 of the raw request body,
-- and the stored status and body to replay. The row is written in the same
-- transaction as the effect, so a crash can never keep one without the other.
-- created_at is Unix seconds (UTC); rows older than 30 days are ignored and pruned.

-- +goose Up
CREATE TABLE idempotency_keys (
    key         TEXT    PRIMARY KEY CHECK (length(key) BETWEEN 1 AND 100),
    route       TEXT    NOT NULL,
    body_hash   BLOB    NOT NULL CHECK (length(body_hash) = 32),
    status      INTEGER NOT NULL CHECK (status BETWEEN 200 AND 299),
    response    BLOB    NOT NULL,
    created_at  INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX idempotency_keys_by_age ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
