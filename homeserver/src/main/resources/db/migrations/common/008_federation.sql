-- Events this server holds without a place in a room's timeline: the state and auth chain a
-- remote server returned when we joined, and the auth events fetched to check an event.
CREATE TABLE event_outliers (
    event_id     TEXT PRIMARY KEY,
    room_id      TEXT NOT NULL,
    room_version TEXT NOT NULL,
    pdu          TEXT NOT NULL
);

-- The current state of a room when it was last resolved from several forward extremities (a
-- state group of its own, not the state after any one event); NULL while the latest event's
-- state group is the current state.
ALTER TABLE rooms ADD COLUMN current_state_group BIGINT;

-- The durable per-destination queue of PDUs and EDUs to send; rows leave once the destination
-- acknowledged the transaction that carried them.
CREATE TABLE federation_outbox (
    id          BIGINT PRIMARY KEY,
    destination TEXT NOT NULL,
    kind        TEXT NOT NULL,
    payload     TEXT NOT NULL
);
CREATE INDEX federation_outbox_destination ON federation_outbox (destination, id);

-- Transactions received from other servers, so that a retried transaction is applied once and
-- answered with the same response.
CREATE TABLE federation_received_txns (
    origin      TEXT NOT NULL,
    txn_id      TEXT NOT NULL,
    response    TEXT NOT NULL,
    received_ts BIGINT NOT NULL,
    PRIMARY KEY (origin, txn_id)
);
