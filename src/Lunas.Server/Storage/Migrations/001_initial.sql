CREATE TABLE merchants (
    client_id            TEXT NOT NULL PRIMARY KEY,
    secret_key           TEXT NOT NULL,
    name                 TEXT NOT NULL,
    notification_url     TEXT NULL,
    payment_method_types TEXT NULL,
    created_at           BIGINT NOT NULL
);

CREATE TABLE checkout_sessions (
    session_id      TEXT NOT NULL PRIMARY KEY,
    token_id        TEXT NOT NULL UNIQUE,
    merchant_id     TEXT NOT NULL REFERENCES merchants (client_id),
    request_id      TEXT NOT NULL,
    body_digest     TEXT NOT NULL,
    invoice_number  TEXT NOT NULL,
    amount          BIGINT NOT NULL,
    status          TEXT NOT NULL,
    payment_methods TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    expires_at      BIGINT NOT NULL,
    request_body    TEXT NOT NULL,
    response_body   TEXT NOT NULL,
    UNIQUE (merchant_id, request_id)
);

CREATE INDEX ix_checkout_sessions_invoice ON checkout_sessions (merchant_id, invoice_number, created_at);
