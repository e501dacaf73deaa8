-- Full-text search over the searchable keys of events (spec: content.body of m.room.message,
-- content.name of m.room.name, content.topic of m.room.topic) in an FTS5 table whose rowid is
-- the event's stream position. Triggers keep it in step with the events table: the send path
-- needs no extra statement, and a redaction (which sets redacted_by) removes the event. Each
-- trigger's inner semicolon shares a line with END, so the migration splitter keeps it whole.
CREATE VIRTUAL TABLE events_search USING fts5(body, name, topic, tokenize = 'porter unicode61');

CREATE TRIGGER events_search_insert AFTER INSERT ON events
    WHEN new.type IN ('m.room.message', 'm.room.name', 'm.room.topic') AND new.redacted_by IS NULL
BEGIN
    INSERT INTO events_search (rowid, body, name, topic) VALUES (new.stream_ordering,
        CASE new.type WHEN 'm.room.message' THEN json_extract(new.pdu, '$.content.body') END,
        CASE new.type WHEN 'm.room.name' THEN json_extract(new.pdu, '$.content.name') END,
        CASE new.type WHEN 'm.room.topic' THEN json_extract(new.pdu, '$.content.topic') END); END;

CREATE TRIGGER events_search_redact AFTER UPDATE OF redacted_by ON events
    WHEN new.redacted_by IS NOT NULL AND old.redacted_by IS NULL
BEGIN
    DELETE FROM events_search WHERE rowid = old.stream_ordering; END;

-- A user's membership history in a room (history visibility asks when they last joined).
CREATE INDEX events_state_key ON events (room_id, type, state_key, stream_ordering) WHERE state_key IS NOT NULL;
