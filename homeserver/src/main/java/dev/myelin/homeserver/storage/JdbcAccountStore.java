package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.Optional;

/**
 * {@link AccountStore} on the {@code users} table. Creating a user and changing a display name
 * also update the user directory's search index.
 */
public final class JdbcAccountStore implements AccountStore {
    private static final String INSERT = "INSERT INTO users (user_id, password_hash, created_ts, displayname) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (user_id) DO NOTHING";
    private static final String EXISTS = "SELECT 1 AS one FROM users WHERE user_id = ?";
    private static final String PASSWORD = "SELECT password_hash FROM users WHERE user_id = ? AND deactivated = 0";
    private static final String PROFILE = "SELECT displayname, avatar_url FROM users WHERE user_id = ?";
    private static final String SET_DISPLAYNAME = "UPDATE users SET displayname = ? WHERE user_id = ?";
    private static final String SET_AVATAR = "UPDATE users SET avatar_url = ? WHERE user_id = ?";

    private final Database db;
    private final UserDirectoryStore directory;

    public JdbcAccountStore(Database db) {
        this.db = db;
        this.directory = new JdbcUserDirectoryStore(db);
    }

    @Override
    public boolean createUser(UserId userId, String passwordHash, long createdTs, String displayname) {
        boolean created = db.execute().insert(INSERT, userId.value(), passwordHash, createdTs, displayname) == 1;
        if (created) {
            directory.index(userId, displayname);
        }
        return created;
    }

    @Override
    public boolean userExists(UserId userId) {
        return db.execute().get(EXISTS, userId.value()).isPresent();
    }

    @Override
    public Optional<String> passwordHash(UserId userId) {
        return db.execute().get(PASSWORD, userId.value()).map(row -> Rows.string(row, "password_hash"));
    }

    @Override
    public Optional<Profile> profile(UserId userId) {
        return db.execute().get(PROFILE, userId.value())
                .map(row -> new Profile(Rows.string(row, "displayname"), Rows.string(row, "avatar_url")));
    }

    @Override
    public void setDisplayname(UserId userId, String displayname) {
        db.execute().update(SET_DISPLAYNAME, displayname, userId.value());
        directory.index(userId, displayname);
    }

    @Override
    public void setAvatarUrl(UserId userId, String avatarUrl) {
        db.execute().update(SET_AVATAR, avatarUrl, userId.value());
    }
}
