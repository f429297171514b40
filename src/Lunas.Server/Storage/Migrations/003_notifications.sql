ALTER TABLE merchants ADD COLUMN notification_urls TEXT NULL;

-- The outbox: written in the same transaction as the payment state change that causes it.
CREATE TABLE notifications (
    notification_id  TEXT NOT NULL PRIMARY KEY,
    merchant_id      TEXT NOT NULL,
    session_id       TEXT NOT NULL REFERENCES checkout_sessions (session_id),
    invoice_number   TEXT NOT NULL,
    event            TEXT NOT NULL,
    url              TEXT NULL,
    body             TEXT NOT NULL,
    status           TEXT NOT NULL,
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       BIGINT NOT NULL,
    first_attempt_at BIGINT NULL,
    next_attempt_at  BIGINT NOT NULL,
    locked_until     BIGINT NULL,
    locked_by        TEXT NULL
);

CREATE INDEX ix_notifications_due ON notifications (status, next_attempt_at);
CREATE INDEX ix_notifications_invoice ON notifications (merchant_id, invoice_number, created_at);

CREATE TABLE notification_attempts (
    attempt_id       TEXT NOT NULL PRIMARY KEY,
    notification_id  TEXT NOT NULL REFERENCES notifications (notification_id),
    attempt_number   INTEGER NOT NULL,
    kind             TEXT NOT NULL,
    url              TEXT NOT NULL,
    started_at       BIGINT NOT NULL,
    status_code      INTEGER NULL,
    error            TEXT NULL,
    latency_ms       INTEGER NOT NULL,
    response_excerpt TEXT NULL
);

CREATE INDEX ix_notification_attempts_notification ON notification_attempts (notification_id, started_at);
