-- Pushers: where a user's notifications are sent (POST /pushers/set). One per user, app_id and
-- pushkey; device_id is the device whose access token set it, so that deleting the device
-- removes it. data is the pusher's data object as JSON text, url included.
CREATE TABLE pushers (
    user_id             TEXT NOT NULL,
    app_id              TEXT NOT NULL,
    pushkey             TEXT NOT NULL,
    kind                TEXT NOT NULL,
    app_display_name    TEXT NOT NULL,
    device_display_name TEXT NOT NULL,
    profile_tag         TEXT,
    lang                TEXT NOT NULL,
    data                TEXT NOT NULL,
    device_id           TEXT,
    pushkey_ts          BIGINT NOT NULL,
    PRIMARY KEY (user_id, app_id, pushkey)
);
-- POST /pushers/set with append false removes other users' pushers of the same app_id and pushkey.
CREATE INDEX pushers_app_pushkey ON pushers (app_id, pushkey);
