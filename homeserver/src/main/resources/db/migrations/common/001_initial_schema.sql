-- Accounts: users with their profile, devices, access tokens (stored as SHA-256 hashes).
CREATE TABLE users (
    user_id       TEXT PRIMARY KEY,
    password_hash TEXT,
    created_ts    BIGINT NOT NULL,
    is_admin      SMALLINT NOT NULL DEFAULT 0,
    deactivated   SMALLINT NOT NULL DEFAULT 0,
    displayname   TEXT,
    avatar_url    TEXT
);

CREATE TABLE devices (
    user_id      TEXT NOT NULL,
    device_id    TEXT NOT NULL,
    display_name TEXT,
    last_seen_ts BIGINT,
    last_seen_ip TEXT,
    PRIMARY KEY (user_id, device_id)
);

CREATE TABLE access_tokens (
    token_hash TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL,
    device_id  TEXT NOT NULL,
    created_ts BIGINT NOT NULL
);
CREATE INDEX access_tokens_device ON access_tokens (user_id, device_id);

CREATE TABLE filters (
    user_id     TEXT NOT NULL,
    filter_id   BIGINT NOT NULL,
    filter_json TEXT NOT NULL,
    PRIMARY KEY (user_id, filter_id)
);

-- Account data, global (room_id = '') and per room; stream_id orders the account data stream.
CREATE TABLE account_data (
    user_id   TEXT NOT NULL,
    room_id   TEXT NOT NULL,
    type      TEXT NOT NULL,
    content   TEXT NOT NULL,
    stream_id BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, type)
);
CREATE INDEX account_data_stream ON account_data (user_id, stream_id);

-- Rooms and their events. Each event is stored once as its federation PDU JSON.
-- forward_extremities: JSON array of the IDs of the events with no successor yet. It is one
-- column rewritten in place on every event (a cheap in-place update on PostgreSQL), not rows
-- deleted and inserted, which left dead tuples behind and slowed every send until vacuumed.
CREATE TABLE rooms (
    room_id             TEXT PRIMARY KEY,
    room_version        TEXT NOT NULL,
    creator             TEXT NOT NULL,
    created_ts          BIGINT NOT NULL,
    forward_extremities TEXT NOT NULL
);

CREATE TABLE events (
    stream_ordering  BIGINT PRIMARY KEY,
    event_id         TEXT NOT NULL UNIQUE,
    room_id          TEXT NOT NULL,
    type             TEXT NOT NULL,
    state_key        TEXT,
    sender           TEXT NOT NULL,
    depth            BIGINT NOT NULL,
    origin_server_ts BIGINT NOT NULL,
    state_group      BIGINT NOT NULL,
    pdu              TEXT NOT NULL,
    prev_state_id    TEXT,
    sender_device    TEXT,
    txn_id           TEXT,
    redacted_by      TEXT
);
CREATE INDEX events_room_stream ON events (room_id, stream_ordering);

-- Idempotency of PUT /send/{type}/{txnId}: one event per user, device and transaction ID.
CREATE TABLE event_txn_ids (
    user_id   TEXT NOT NULL,
    device_id TEXT NOT NULL,
    txn_id    TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    PRIMARY KEY (user_id, device_id, txn_id)
);

-- Room state after each event, as a chain of deltas: a group holds only the entries that differ
-- from its prev_group; every so often a group is a full snapshot (prev_group NULL).
CREATE TABLE state_groups (
    id          BIGINT PRIMARY KEY,
    room_id     TEXT NOT NULL,
    prev_group  BIGINT,
    chain_length INTEGER NOT NULL
);

CREATE TABLE state_group_entries (
    state_group BIGINT NOT NULL,
    type        TEXT NOT NULL,
    state_key   TEXT NOT NULL,
    event_id    TEXT NOT NULL,
    PRIMARY KEY (state_group, type, state_key)
);

CREATE TABLE current_state (
    room_id   TEXT NOT NULL,
    type      TEXT NOT NULL,
    state_key TEXT NOT NULL,
    event_id  TEXT NOT NULL,
    PRIMARY KEY (room_id, type, state_key)
);

-- Each user's current membership of each room, for sync and membership queries.
CREATE TABLE memberships (
    room_id         TEXT NOT NULL,
    user_id         TEXT NOT NULL,
    membership      TEXT NOT NULL,
    event_id        TEXT NOT NULL,
    stream_ordering BIGINT NOT NULL,
    forgotten       SMALLINT NOT NULL DEFAULT 0,
    PRIMARY KEY (room_id, user_id)
);
CREATE INDEX memberships_user ON memberships (user_id, stream_ordering);

CREATE TABLE room_aliases (
    room_alias TEXT PRIMARY KEY,
    room_id    TEXT NOT NULL,
    creator    TEXT NOT NULL
);
