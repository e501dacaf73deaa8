package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/** The body of {@code POST /createRoom}. */
public record CreateRoomRequest(
        String visibility,
        String roomAliasName,
        String name,
        String topic,
        List<String> invite,
        String roomVersion,
        ObjectNode creationContent,
        List<InitialStateEvent> initialState,
        String preset,
        Boolean isDirect,
        JsonNode powerLevelContentOverride) {

    /** One of {@code initial_state}. */
    public record InitialStateEvent(String type, String stateKey, ObjectNode content) {
    }
}
