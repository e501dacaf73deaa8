package dev.myelin.homeserver.service.room;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each user's memberships in memory, loaded from the store on first use and kept current by the
 * event writer, so that a woken {@code /sync} needs no query to know the user's rooms.
 */
public final class UserMemberships {
    private final RoomStateStore store;
    private final Map<UserId, Map<RoomId, MembershipRow>> byUser = new ConcurrentHashMap<>();

    public UserMemberships(RoomStateStore store) {
        this.store = store;
    }

    /** The user's memberships of rooms they have not forgotten. */
    public Collection<MembershipRow> of(UserId user) {
        return load(user).values();
    }

    void update(MembershipRow row) {
        Map<RoomId, MembershipRow> rooms = byUser.get(row.userId());
        if (rooms != null) {
            rooms.put(row.roomId(), row);
        }
    }

    void forgotten(UserId user, RoomId roomId) {
        Map<RoomId, MembershipRow> rooms = byUser.get(user);
        if (rooms != null) {
            rooms.remove(roomId);
        }
    }

    private Map<RoomId, MembershipRow> load(UserId user) {
        return byUser.computeIfAbsent(user, u -> {
            Map<RoomId, MembershipRow> rooms = new ConcurrentHashMap<>();
            store.membershipsOf(u).forEach(row -> rooms.put(row.roomId(), row));
            return rooms;
        });
    }
}
