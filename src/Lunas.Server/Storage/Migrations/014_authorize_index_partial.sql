-- Only a card AUTHORIZE has an authorize_id: the index holds those sessions alone, so creating a session (authorize_id
-- NULL) no longer writes an entry to it. A lookup "authorize_id = @key" implies IS NOT NULL, so it still uses the index.
DROP INDEX ix_checkout_sessions_authorize;
CREATE INDEX ix_checkout_sessions_authorize ON checkout_sessions (merchant_id, authorize_id) WHERE authorize_id IS NOT NULL;
