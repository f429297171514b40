-- A notification keeps one Request-Id across its scheduled retries (receivers drop duplicates by it); a manual
-- resend gets a fresh one. Rows from before this column used the attempt id as Request-Id.
ALTER TABLE notification_attempts ADD COLUMN request_id TEXT NULL;
