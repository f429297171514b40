-- Who runs a shared Lunas signs in to the console as an operator; only a PasswordHasher hash is stored.
CREATE TABLE operators (
    user_name     TEXT NOT NULL PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_at    BIGINT NOT NULL
);

-- Key rotation with an overlap: the replaced key verifies requests until previous_key_expires_at.
ALTER TABLE merchants ADD COLUMN previous_secret_key TEXT NULL;
ALTER TABLE merchants ADD COLUMN previous_key_expires_at BIGINT NULL;
ALTER TABLE merchants ADD COLUMN disabled INTEGER NOT NULL DEFAULT 0;

-- The console's order list pages by keyset, newest first, per merchant (and across merchants for the operator).
CREATE INDEX ix_checkout_sessions_merchant_created ON checkout_sessions (merchant_id, created_at, session_id);
CREATE INDEX ix_checkout_sessions_created ON checkout_sessions (created_at, session_id);
CREATE INDEX ix_notifications_merchant_created ON notifications (merchant_id, created_at, notification_id);
