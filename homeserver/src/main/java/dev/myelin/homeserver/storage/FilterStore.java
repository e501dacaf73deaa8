package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.Optional;

/** Sync filters uploaded by users, identified per user by a small integer. */
public interface FilterStore {
    /** Stores a filter's JSON and returns its new ID. */
    long create(UserId userId, String filterJson);

    Optional<String> get(UserId userId, long filterId);
}
