-- An order is recovered once: the time it was, if ever.
ALTER TABLE checkout_sessions ADD COLUMN recovered_at BIGINT NULL;
