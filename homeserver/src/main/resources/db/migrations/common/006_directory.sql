-- Room aliases are listed per room (GET /rooms/{roomId}/aliases, canonical alias upkeep).
CREATE INDEX room_aliases_room ON room_aliases (room_id);

-- Rooms published in the public room directory (visibility "public"); absent means "private".
CREATE TABLE room_directory (
    room_id      TEXT PRIMARY KEY,
    published_ts BIGINT NOT NULL
);

-- The user directory's search index: each local user's display name and user ID split into
-- lower-case words, stored as ' word1 word2 ... ', so that "starts a word" is LIKE '% term%'
-- with the same meaning on SQLite and PostgreSQL.
CREATE TABLE user_directory (
    user_id      TEXT PRIMARY KEY,
    search_words TEXT NOT NULL
);
