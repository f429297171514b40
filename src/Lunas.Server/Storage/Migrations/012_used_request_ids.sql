-- Request-Ids of signed POSTs other than create payment (which keeps its own in checkout_sessions): the insert comes
-- first and a conflict is a replay. Rows are pruned once no request signed with them can pass the timestamp check.
CREATE TABLE used_request_ids (
    merchant_id TEXT NOT NULL,
    request_id  TEXT NOT NULL,
    created_at  BIGINT NOT NULL,
    PRIMARY KEY (merchant_id, request_id)
);

CREATE INDEX ix_used_request_ids_created ON used_request_ids (created_at);
