-- A merchant's sandbox clock (POST /sandbox/v1/clock): how far its time runs ahead of the real clock, in milliseconds.
-- Every instance reads it from here, so two instances on one database agree on the merchant's "now".
ALTER TABLE merchants ADD COLUMN clock_offset_ms BIGINT NOT NULL DEFAULT 0;
