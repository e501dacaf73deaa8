-- Push-rule outcomes: one row per event that notified anyone, naming everyone it notified and
-- with which actions (JSON {"actions": [[...], ...], "users": {"@user:server": index}}).
CREATE TABLE event_notifications (
    stream_ordering BIGINT PRIMARY KEY,
    room_id TEXT NOT NULL,
    event_id TEXT NOT NULL,
    sender TEXT NOT NULL,
    thread_id TEXT,
    ts BIGINT NOT NULL,
    notified TEXT NOT NULL
);
CREATE INDEX event_notifications_room ON event_notifications (room_id, stream_ordering);

-- How far each user has read each room: thread_id '' for an unthreaded receipt, 'main' for the
-- main timeline, else a thread root's event ID.
CREATE TABLE push_read_positions (
    user_id TEXT NOT NULL,
    room_id TEXT NOT NULL,
    thread_id TEXT NOT NULL,
    stream_ordering BIGINT NOT NULL,
    PRIMARY KEY (user_id, room_id, thread_id)
);
