package dev.myelin.homeserver.service.search;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.sync.EventFilter;
import dev.myelin.homeserver.storage.SearchStore.Key;
import dev.myelin.homeserver.storage.SearchStore.Order;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The spec's "Room Events Criteria" of {@code POST /search}: the term, the keys to look in, the
 * room event filter, the order, the context around each result, state and groupings.
 *
 * @param groupBy the requested group keys, {@code room_id} and/or {@code sender}
 */
record SearchCriteria(String term, Set<Key> keys, EventFilter filter, Order order, int beforeLimit, int afterLimit,
                      boolean includeProfile, boolean includeContext, boolean includeState, List<String> groupBy) {
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 100;
    static final int DEFAULT_CONTEXT = 5;
    static final int MAX_CONTEXT = 50;

    static SearchCriteria parse(JsonNode node) {
        if (!node.isObject()) {
            throw MatrixException.badJson("room_events must be an object");
        }
        JsonNode term = node.get("search_term");
        if (term == null || !term.isTextual()) {
            throw MatrixException.badJson("room_events.search_term must be a string");
        }
        JsonNode context = node.get("event_context");
        boolean includeContext = context != null && !context.isNull();
        if (includeContext && !context.isObject()) {
            throw MatrixException.badJson("event_context must be an object");
        }
        return new SearchCriteria(term.asText(), keys(node.get("keys")), EventFilter.parse(node.get("filter")),
                order(node.get("order_by")),
                includeContext ? count(context, "before_limit") : 0,
                includeContext ? count(context, "after_limit") : 0,
                includeContext && bool(context, "include_profile"),
                includeContext, bool(node, "include_state"), groupBy(node.get("groupings")));
    }

    int limit() {
        return Math.min(filter.limitOr(DEFAULT_LIMIT), MAX_LIMIT);
    }

    private static Set<Key> keys(JsonNode node) {
        if (node == null || node.isNull()) {
            return EnumSet.allOf(Key.class);
        }
        if (!node.isArray()) {
            throw MatrixException.badJson("keys must be a list");
        }
        Set<Key> keys = EnumSet.noneOf(Key.class);
        for (JsonNode item : node) {
            keys.add(switch (item.asText("")) {
                case "content.body" -> Key.BODY;
                case "content.name" -> Key.NAME;
                case "content.topic" -> Key.TOPIC;
                default -> throw MatrixException.invalidParam("Unknown search key: " + item);
            });
        }
        return keys.isEmpty() ? EnumSet.allOf(Key.class) : keys;
    }

    private static Order order(JsonNode node) {
        if (node == null || node.isNull()) {
            return Order.RANK;
        }
        return switch (node.asText("")) {
            case "rank" -> Order.RANK;
            case "recent" -> Order.RECENT;
            default -> throw MatrixException.invalidParam("order_by must be 'rank' or 'recent'");
        };
    }

    private static int count(JsonNode context, String field) {
        JsonNode value = context.get(field);
        if (value == null || value.isNull()) {
            return DEFAULT_CONTEXT;
        }
        if (!value.isIntegralNumber() || value.asLong() < 0) {
            throw MatrixException.badJson("event_context." + field + " must be a non-negative integer");
        }
        return (int) Math.min(value.asLong(), MAX_CONTEXT);
    }

    private static boolean bool(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return false;
        }
        if (!value.isBoolean()) {
            throw MatrixException.badJson(field + " must be a boolean");
        }
        return value.asBoolean();
    }

    private static List<String> groupBy(JsonNode groupings) {
        List<String> keys = new ArrayList<>();
        if (groupings == null || groupings.isNull()) {
            return keys;
        }
        for (JsonNode group : groupings.path("group_by")) {
            String key = group.path("key").asText("");
            if (!key.equals("room_id") && !key.equals("sender")) {
                throw MatrixException.invalidParam("groupings may group by room_id or sender");
            }
            if (!keys.contains(key)) {
                keys.add(key);
            }
        }
        return keys;
    }
}
