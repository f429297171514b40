-- 1 when an order FAILED on a channel that honours disable_retry_payment (card, DOKU Wallet, Akulaku, OVO, ShopeePay)
-- and the order asked for it: that FAILED is final, so the order is neither retried, expired nor recovered.
ALTER TABLE checkout_sessions ADD COLUMN retry_closed INTEGER NOT NULL DEFAULT 0;
