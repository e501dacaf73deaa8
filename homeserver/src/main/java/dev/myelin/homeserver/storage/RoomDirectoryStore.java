package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.RoomId;
import java.util.List;

/** Which rooms are published in the public room directory ({@code /publicRooms}). */
public interface RoomDirectoryStore {
    /** Publishes the room (visibility "public") or withdraws it ("private"). Repeating is harmless. */
    void setPublished(RoomId roomId, boolean published);

    boolean isPublished(RoomId roomId);

    /** Every published room, in code point order of room ID. */
    List<RoomId> publishedRooms();
}
