package dev.myelin.homeserver.service.directory;

import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.UserDirectoryStore;
import dev.myelin.homeserver.storage.UserDirectoryStore.Entry;
import java.util.List;

/**
 * {@code POST /user_directory/search}: users who share a room with the searcher or are joined to
 * a public room, whose user ID or display name has words starting with every word of the term.
 * The index is kept by the account store; accounts it lacks are indexed when this starts.
 */
public final class UserDirectory {
    /** The spec's default number of results. */
    static final int DEFAULT_LIMIT = 10;
    /** The most results one search returns. */
    static final int MAX_LIMIT = 50;

    /** One result, in the spec's field names. */
    public record User(String userId, String displayName, String avatarUrl) {
    }

    public record Results(boolean limited, List<User> results) {
    }

    private final UserDirectoryStore store;

    public UserDirectory(UserDirectoryStore store) {
        this.store = store;
        store.indexMissing();
    }

    public Results search(Requester requester, String term, Long limit) {
        if (term == null) {
            throw MatrixException.missingParam("Missing search_term");
        }
        if (limit != null && limit < 0) {
            throw MatrixException.invalidParam("limit must not be negative");
        }
        int max = limit == null ? DEFAULT_LIMIT : (int) Math.min(limit, MAX_LIMIT);
        List<Entry> found = store.search(requester.userId(), term, max + 1);
        List<User> users = found.stream().limit(max)
                .map(e -> new User(e.userId().value(), e.displayname(), e.avatarUrl())).toList();
        return new Results(found.size() > max, users);
    }
}
