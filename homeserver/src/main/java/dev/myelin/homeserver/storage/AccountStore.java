package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.Optional;

/** Local user accounts and their profiles. */
public interface AccountStore {
    /** A user's public profile; either field may be null. */
    record Profile(String displayname, String avatarUrl) {
    }

    /** Creates the account; false when the user ID is taken. */
    boolean createUser(UserId userId, String passwordHash, long createdTs, String displayname);

    boolean userExists(UserId userId);

    Optional<String> passwordHash(UserId userId);

    Optional<Profile> profile(UserId userId);

    void setDisplayname(UserId userId, String displayname);

    void setAvatarUrl(UserId userId, String avatarUrl);
}
