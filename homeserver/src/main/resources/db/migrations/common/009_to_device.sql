-- Messages sent to devices (PUT /sendToDevice, m.direct_to_device EDUs), kept until the device's
-- sync acknowledges them (a later since token), in stream order.
CREATE TABLE device_inbox (
    stream_id BIGINT PRIMARY KEY,
    user_id   TEXT NOT NULL,
    device_id TEXT NOT NULL,
    message   TEXT NOT NULL
);
CREATE INDEX device_inbox_device ON device_inbox (user_id, device_id, stream_id);
