ALTER TABLE checkout_sessions ADD COLUMN order_status TEXT NOT NULL DEFAULT 'ORDER_GENERATED';
ALTER TABLE checkout_sessions ADD COLUMN channel TEXT NULL;
ALTER TABLE checkout_sessions ADD COLUMN paid_attempt_id TEXT NULL;
ALTER TABLE checkout_sessions ADD COLUMN transaction_date BIGINT NULL;

CREATE INDEX ix_checkout_sessions_due ON checkout_sessions (status, expires_at);

CREATE TABLE payment_attempts (
    attempt_id   TEXT NOT NULL PRIMARY KEY,
    session_id   TEXT NOT NULL REFERENCES checkout_sessions (session_id),
    channel      TEXT NOT NULL,
    status       TEXT NOT NULL,
    pay_code     TEXT NULL,
    details      TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    completed_at BIGINT NULL
);

-- A virtual-account number, store payment code or QRIS reference belongs to one attempt of one channel.
CREATE UNIQUE INDEX ux_payment_attempts_code ON payment_attempts (channel, pay_code);
CREATE INDEX ix_payment_attempts_session ON payment_attempts (session_id, created_at);
