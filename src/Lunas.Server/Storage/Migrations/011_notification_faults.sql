-- Sandbox notification faults (PUT /sandbox/v1/notification-faults): what a merchant asked to go wrong with its next
-- notifications, in order. remaining counts down as notifications take the fault, in the claim that binds it.
CREATE TABLE notification_faults (
    fault_id    TEXT NOT NULL PRIMARY KEY,
    merchant_id TEXT NOT NULL,
    position    INTEGER NOT NULL,
    kind        TEXT NOT NULL,
    amount      INTEGER NOT NULL,
    channel     TEXT NULL,
    times       INTEGER NOT NULL,
    remaining   INTEGER NOT NULL,
    created_at  BIGINT NOT NULL
);

CREATE INDEX ix_notification_faults_merchant ON notification_faults (merchant_id, position);

-- The fault a notification took (its kind) and what is left of it (drop: attempts still to drop; out_of_order: 1 while
-- held back); an attempt's fault marks it in the delivery log.
ALTER TABLE notifications ADD COLUMN fault TEXT NULL;
ALTER TABLE notifications ADD COLUMN fault_value INTEGER NULL;
ALTER TABLE notification_attempts ADD COLUMN fault TEXT NULL;
