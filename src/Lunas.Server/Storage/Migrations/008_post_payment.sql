-- After checkout (cancel, capture, void, refund). A card AUTHORIZE that succeeded holds the invoice (status SUCCESS,
-- hold_until set) until it is captured (captured_amount), voided or lapses; refunds add up in refunded_amount, which a
-- conditional UPDATE keeps at most the paid amount. settles_at: the settlement cut-off after the sale or capture.
ALTER TABLE checkout_sessions ADD COLUMN authorize_id TEXT NULL;
ALTER TABLE checkout_sessions ADD COLUMN hold_until BIGINT NULL;
ALTER TABLE checkout_sessions ADD COLUMN captured_amount BIGINT NULL;
ALTER TABLE checkout_sessions ADD COLUMN refunded_amount BIGINT NOT NULL DEFAULT 0;
ALTER TABLE checkout_sessions ADD COLUMN settles_at BIGINT NULL;
CREATE INDEX ix_checkout_sessions_authorize ON checkout_sessions (merchant_id, authorize_id);

-- A voided or refunded order stays the invoice's one settled session: it was paid (or held), and is never paid again.
DROP INDEX ux_checkout_sessions_paid_invoice;
CREATE UNIQUE INDEX ux_checkout_sessions_paid_invoice ON checkout_sessions (merchant_id, invoice_number)
    WHERE status IN ('SUCCESS', 'VOIDED', 'REFUNDED');

ALTER TABLE merchants ADD COLUMN cancel_order_enabled INTEGER NOT NULL DEFAULT 1;
ALTER TABLE merchants ADD COLUMN cancel_convenience_store INTEGER NOT NULL DEFAULT 1;

-- Every cancel, capture and refund request, inserted first: the unique key makes a repeated Request-Id a replay (409
-- with the stored answer), so no request can capture or refund twice. applied = 1 when it changed the order.
CREATE TABLE payment_operations (
    merchant_id     TEXT NOT NULL,
    request_id      TEXT NOT NULL,
    body_digest     TEXT NOT NULL,
    operation       TEXT NOT NULL,
    session_id      TEXT NULL,
    type            TEXT NULL,
    amount          BIGINT NULL,
    applied         INTEGER NOT NULL DEFAULT 0,
    response_status INTEGER NULL,
    response_body   TEXT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, request_id)
);
CREATE INDEX ix_payment_operations_session ON payment_operations (session_id, created_at);
