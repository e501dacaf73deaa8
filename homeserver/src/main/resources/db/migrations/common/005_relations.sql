-- Relations between events (content.m.relates_to with a rel_type): one row per relating
-- event, written in the same transaction as the event and deleted when it is redacted (its
-- redacted content no longer relates). The relating event's room, sender, type and stream
-- position are copied here so that aggregations and /relations pages need no join.
CREATE TABLE event_relations (
    event_id        TEXT PRIMARY KEY,
    relates_to_id   TEXT NOT NULL,
    rel_type        TEXT NOT NULL,
    aggregation_key TEXT,
    room_id         TEXT NOT NULL,
    sender          TEXT NOT NULL,
    type            TEXT NOT NULL,
    stream_ordering BIGINT NOT NULL
);
CREATE INDEX event_relations_parent ON event_relations (relates_to_id, stream_ordering);
CREATE INDEX event_relations_annotation ON event_relations (relates_to_id, aggregation_key, sender);
