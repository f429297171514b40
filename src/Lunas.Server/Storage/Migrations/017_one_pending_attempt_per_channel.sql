-- One pending attempt per channel of an order: a second choice of the channel reuses it (its number stays the order's).
-- Two choices at the same moment on PostgreSQL (two writers) could each miss the other's uncommitted attempt and
-- insert their own number; the index makes the second wait for the first and insert nothing. Pairs left by that race
-- keep their newest attempt, the one the page showed since; the older ones are closed as FAILED.
UPDATE payment_attempts SET status = 'FAILED', completed_at = created_at
WHERE status = 'PENDING' AND EXISTS (
    SELECT 1 FROM payment_attempts newer
    WHERE newer.session_id = payment_attempts.session_id AND newer.channel = payment_attempts.channel
      AND newer.status = 'PENDING'
      AND (newer.created_at > payment_attempts.created_at
           OR (newer.created_at = payment_attempts.created_at AND newer.attempt_id > payment_attempts.attempt_id)));
CREATE UNIQUE INDEX ux_payment_attempts_pending ON payment_attempts (session_id, channel) WHERE status = 'PENDING';
