package dev.myelin.homeserver.service.directory;

import dev.myelin.federation.event.Pdu;
import dev.myelin.homeserver.service.room.LiveRoom;

/**
 * One entry of {@code /publicRooms} ("PublishedRoomsChunk"), read from the room's current state
 * in memory. Absent optional fields are null and left out of the JSON.
 */
public record PublishedRoom(String roomId, String name, String topic, String canonicalAlias, int numJoinedMembers,
                            boolean worldReadable, boolean guestCanJoin, String avatarUrl, String joinRule,
                            String roomType) {

    static PublishedRoom of(LiveRoom room) {
        return new PublishedRoom(room.roomId().value(),
                text(room, "m.room.name", "name"),
                text(room, "m.room.topic", "topic"),
                text(room, CanonicalAlias.TYPE, "alias"),
                room.joined().size(),
                "world_readable".equals(text(room, "m.room.history_visibility", "history_visibility")),
                "can_join".equals(text(room, "m.room.guest_access", "guest_access")),
                text(room, "m.room.avatar", "url"),
                text(room, "m.room.join_rules", "join_rule"),
                text(room, "m.room.create", "type"));
    }

    /** Whether the name, topic or canonical alias contains {@code term}, ignoring case. */
    boolean matches(String lowerCaseTerm) {
        for (String field : new String[] {name, topic, canonicalAlias}) {
            if (field != null && field.toLowerCase(java.util.Locale.ROOT).contains(lowerCaseTerm)) {
                return true;
            }
        }
        return false;
    }

    private static String text(LiveRoom room, String type, String key) {
        Pdu event = room.state(type, "");
        return event == null ? null : event.contentString(key);
    }
}
