-- Full-text search over the searchable keys of events (spec: content.body of m.room.message,
-- content.name of m.room.name, content.topic of m.room.topic). The vector is a generated column
-- computed from the stored PDU, so the send path needs no extra statement, and a redaction,
-- which rewrites the PDU to its redacted form, empties it. Weights tell the keys apart:
-- A = content.body, B = content.name, C = content.topic.
CREATE FUNCTION myelin_search_vector(event_type TEXT, pdu TEXT) RETURNS tsvector
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$ SELECT CASE event_type WHEN 'm.room.message' THEN setweight(to_tsvector('english'::regconfig, COALESCE(pdu::jsonb #>> '{content,body}', '')), 'A') WHEN 'm.room.name' THEN setweight(to_tsvector('english'::regconfig, COALESCE(pdu::jsonb #>> '{content,name}', '')), 'B') WHEN 'm.room.topic' THEN setweight(to_tsvector('english'::regconfig, COALESCE(pdu::jsonb #>> '{content,topic}', '')), 'C') END $$;

ALTER TABLE events ADD COLUMN search_vector tsvector
    GENERATED ALWAYS AS (myelin_search_vector(type, pdu)) STORED;

-- A small pending list (256 kB instead of 4 MB): searches scan the pending list linearly, and
-- sends flush it in small steps rather than in one long pause.
CREATE INDEX events_search ON events USING GIN (search_vector) WITH (gin_pending_list_limit = 256)
    WHERE search_vector IS NOT NULL;

-- A user's membership history in a room (history visibility asks when they last joined).
CREATE INDEX events_state_key ON events (room_id, type, state_key, stream_ordering) WHERE state_key IS NOT NULL;
