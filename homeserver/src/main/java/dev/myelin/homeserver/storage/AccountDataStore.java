package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.Optional;

/** Per-user account data, global or per room, ordered on the account data stream. */
public interface AccountDataStore {
    /** One piece of account data; {@code roomId} is null for global account data. */
    record AccountData(RoomId roomId, String type, String content, long streamId) {
    }

    /** Sets a piece of account data at the given stream position. */
    void put(UserId userId, RoomId roomId, String type, String content, long streamId);

    Optional<String> get(UserId userId, RoomId roomId, String type);

    /** Everything of the user's changed after {@code sinceStreamId}, global and per room. */
    List<AccountData> changedSince(UserId userId, long sinceStreamId);

    /** The highest stream position used, for resuming the stream at start-up. */
    long maxStreamId();
}
