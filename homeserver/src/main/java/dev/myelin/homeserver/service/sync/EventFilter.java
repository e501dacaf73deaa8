package dev.myelin.homeserver.service.sync;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.storage.EventStore.EventQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A RoomEventFilter of the spec: limit, types, senders and rooms, each with its negation.
 * {@code *} in a type matches any sequence of characters.
 */
public record EventFilter(Integer limit, List<String> types, List<String> notTypes, List<String> senders,
                          List<String> notSenders, List<String> rooms, List<String> notRooms,
                          boolean lazyLoadMembers) {
    /** An inclusion list that matches nothing: no event has an empty type or sender. */
    static final List<String> NOTHING = List.of("");
    public static final EventFilter NONE = new EventFilter(null, List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), false);

    /** Parses a filter object; null or missing means no filtering. */
    public static EventFilter parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return NONE;
        }
        if (!node.isObject()) {
            throw MatrixException.badJson("A filter must be an object");
        }
        Integer limit = null;
        JsonNode limitNode = node.get("limit");
        if (limitNode != null && !limitNode.isNull()) {
            if (!limitNode.canConvertToInt() || !limitNode.isIntegralNumber()) {
                throw MatrixException.badJson("Filter limit must be an integer");
            }
            limit = limitNode.intValue();
            if (limit < 0) {
                throw MatrixException.badJson("Filter limit must not be negative");
            }
        }
        return new EventFilter(limit, inclusion(node, "types"), strings(node, "not_types"), inclusion(node, "senders"),
                strings(node, "not_senders"), strings(node, "rooms"), strings(node, "not_rooms"),
                node.path("lazy_load_members").asBoolean(false));
    }

    /**
     * An inclusion list (types, senders): absent includes everything, but a present empty list
     * includes nothing, so it becomes {@link #NOTHING}.
     */
    private static List<String> inclusion(JsonNode node, String field) {
        List<String> values = strings(node, field);
        return values.isEmpty() && node.path(field).isArray() ? NOTHING : values;
    }

    static List<String> strings(JsonNode node, String field) {
        JsonNode list = node.get(field);
        if (list == null || list.isNull()) {
            return List.of();
        }
        if (!list.isArray()) {
            throw MatrixException.badJson("Filter field " + field + " must be a list");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode item : list) {
            if (!item.isTextual()) {
                throw MatrixException.badJson("Filter field " + field + " must hold strings");
            }
            values.add(item.asText());
        }
        return List.copyOf(values);
    }

    public int limitOr(int defaultLimit) {
        return limit == null ? defaultLimit : limit;
    }

    /** Whether events of this room pass the filter's rooms and not_rooms. */
    public boolean allowsRoom(RoomId roomId) {
        return (rooms.isEmpty() || rooms.contains(roomId.value())) && !notRooms.contains(roomId.value());
    }

    public boolean matches(Pdu pdu) {
        return matchesAny(types, pdu.type(), true) && !matchesAny(notTypes, pdu.type(), false)
                && (senders.isEmpty() || senders.contains(pdu.sender().value()))
                && !notSenders.contains(pdu.sender().value());
    }

    /** Whether an event type passes types and not_types (for events that have no sender). */
    public boolean matchesType(String type) {
        return matchesAny(types, type, true) && !matchesAny(notTypes, type, false);
    }

    /** Whether a sender passes senders and not_senders (for presence events, which have no Pdu). */
    public boolean matchesSender(String sender) {
        return (senders.isEmpty() || senders.contains(sender)) && !notSenders.contains(sender);
    }

    /** The same restriction for the event store's queries. */
    public EventQuery query() {
        return new EventQuery(types, notTypes, senders, notSenders);
    }

    private static boolean matchesAny(List<String> patterns, String value, boolean emptyMatches) {
        if (patterns.isEmpty()) {
            return emptyMatches;
        }
        for (String pattern : patterns) {
            if (pattern.contains("*") ? glob(pattern).matcher(value).matches() : pattern.equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (String part : pattern.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), Pattern.DOTALL);
    }
}
