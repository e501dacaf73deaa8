package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.List;

/**
 * The user directory's search index over local users. Words of the user ID and display name are
 * matched by prefix, case-insensitively; a user is found only by a searcher who shares a joined
 * room with them, or when they are joined to a room whose join rule is public.
 */
public interface UserDirectoryStore {
    /** A user found by a search, with their profile (either field may be null). */
    record Entry(UserId userId, String displayname, String avatarUrl) {
    }

    /** (Re)indexes a user under their user ID and current display name. */
    void index(UserId userId, String displayname);

    /** Indexes every user the index lacks (accounts made before it existed); returns how many. */
    int indexMissing();

    /**
     * Users visible to {@code searcher} every word of whose {@code term} starts a word of their
     * user ID or display name, at most {@code limit}, ordered by user ID.
     */
    List<Entry> search(UserId searcher, String term, int limit);
}
