package dev.myelin.homeserver.service.room;

import dev.myelin.federation.event.Pdu;

/**
 * The values of {@code m.room.history_visibility}. A room without the event, or with a value
 * this server does not know, is {@link #SHARED}, as the spec asks.
 */
public enum HistoryVisibility {
    INVITED, JOINED, SHARED, WORLD_READABLE;

    /** The setting an {@code m.room.history_visibility} event makes; null means the event is absent. */
    public static HistoryVisibility of(Pdu event) {
        if (event == null) {
            return SHARED;
        }
        return switch (event.content().path("history_visibility").asText("")) {
            case "invited" -> INVITED;
            case "joined" -> JOINED;
            case "world_readable" -> WORLD_READABLE;
            default -> SHARED;
        };
    }
}
