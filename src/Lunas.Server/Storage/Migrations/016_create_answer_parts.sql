-- A create's answer is no longer stored whole: it was 1.7 kB of a 3 kB row, written to the WAL (and checkpointed) with
-- every create, and it repeats the request and the offered channels. A replay and the console write it again, with
-- the same code, from the request, the session and these. Sessions from before keep their response_body and have these
-- NULL; new ones store response_body as ''.
ALTER TABLE checkout_sessions ADD COLUMN uuid TEXT NULL;
ALTER TABLE checkout_sessions ADD COLUMN payment_url TEXT NULL;
ALTER TABLE checkout_sessions ADD COLUMN request_signature TEXT NULL;
ALTER TABLE checkout_sessions ADD COLUMN request_timestamp TEXT NULL;
