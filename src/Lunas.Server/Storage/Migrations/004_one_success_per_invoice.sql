-- The database itself refuses a second successful session for one invoice: nothing is charged twice, even when two
-- instances complete payments of two sessions of the same invoice at the same moment.
CREATE UNIQUE INDEX ux_checkout_sessions_paid_invoice ON checkout_sessions (merchant_id, invoice_number) WHERE status = 'SUCCESS';
