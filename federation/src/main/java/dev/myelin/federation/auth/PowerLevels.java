package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.UserId;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The power levels of a room, from the content of its {@code m.room.power_levels} event with the
 * spec's defaults for missing keys, or the defaults of a room without that event (the creator
 * has 100, everyone else 0, and {@code state_default} is 0).
 */
public final class PowerLevels {
    public static final long DEFAULT_BAN = 50;
    public static final long DEFAULT_KICK = 50;
    public static final long DEFAULT_REDACT = 50;
    public static final long DEFAULT_INVITE = 0;
    public static final long DEFAULT_STATE = 50;
    public static final long DEFAULT_EVENTS = 0;
    public static final long DEFAULT_USERS = 0;
    public static final long DEFAULT_NOTIFICATION = 50;
    /** The level of the room creator when there is no power levels event. */
    public static final long CREATOR_WITHOUT_EVENT = 100;

    private final Map<String, Long> users;
    private final Map<String, Long> events;
    private final Map<String, Long> notifications;
    private final long usersDefault;
    private final long eventsDefault;
    private final long stateDefault;
    private final long ban;
    private final long kick;
    private final long redact;
    private final long invite;

    private PowerLevels(JsonNode c, long stateDefaultIfAbsent) {
        users = map(c.get("users"));
        events = map(c.get("events"));
        notifications = map(c.get("notifications"));
        usersDefault = level(c.get("users_default"), DEFAULT_USERS);
        eventsDefault = level(c.get("events_default"), DEFAULT_EVENTS);
        stateDefault = level(c.get("state_default"), stateDefaultIfAbsent);
        ban = level(c.get("ban"), DEFAULT_BAN);
        kick = level(c.get("kick"), DEFAULT_KICK);
        redact = level(c.get("redact"), DEFAULT_REDACT);
        invite = level(c.get("invite"), DEFAULT_INVITE);
    }

    /** Levels from the content of an {@code m.room.power_levels} event; invalid values count as absent. */
    public static PowerLevels fromContent(JsonNode content) {
        return new PowerLevels(content == null ? MissingNode.getInstance() : content, DEFAULT_STATE);
    }

    /** The levels of a room with no {@code m.room.power_levels} event; {@code creator} may be null. */
    public static PowerLevels withoutEvent(UserId creator) {
        ObjectNode c = JsonNodeFactory.instance.objectNode();
        if (creator != null) {
            c.putObject("users").put(creator.value(), CREATOR_WITHOUT_EVENT);
        }
        return new PowerLevels(c, 0);
    }

    /**
     * The levels in force given the current power levels event (null if none) and the create
     * event (which names the creator: {@code content.creator} up to v10, the sender from v11).
     */
    public static PowerLevels of(Pdu powerLevelsEvent, Pdu createEvent) {
        if (powerLevelsEvent != null) {
            return fromContent(powerLevelsEvent.content());
        }
        return withoutEvent(createEvent == null ? null : creator(createEvent));
    }

    /** The levels in force in a room state (or auth events) map. */
    public static PowerLevels fromState(Map<StateKey, Pdu> state) {
        return of(state.get(StateKey.powerLevels()), state.get(StateKey.create()));
    }

    /** The room creator named by a create event: {@code content.creator} up to v10, the sender from v11. */
    public static UserId creator(Pdu createEvent) {
        if (!createEvent.roomVersion().createHasCreator()) {
            return createEvent.sender();
        }
        String creator = createEvent.contentString("creator");
        try {
            return creator == null ? null : UserId.of(creator);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * Reads one power level value: a JSON integer, or (as rooms before v10 allow) a string
     * holding an integer. Returns null when absent or invalid.
     */
    public static Long parseLevel(JsonNode node) {
        if (node == null) {
            return null;
        }
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            return node.longValue();
        }
        if (node.isTextual()) {
            try {
                return Long.parseLong(node.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static long level(JsonNode node, long fallback) {
        Long value = parseLevel(node);
        return value == null ? fallback : value;
    }

    private static Map<String, Long> map(JsonNode node) {
        if (node == null || !node.isObject()) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            Long value = parseLevel(e.getValue());
            if (value != null) {
                out.put(e.getKey(), value);
            }
        }
        return Collections.unmodifiableMap(out);
    }

    /** The level of a user: {@code users[user]} or {@code users_default}. */
    public long userLevel(UserId user) {
        return userLevel(user.value());
    }

    public long userLevel(String userId) {
        Long level = users.get(userId);
        return level == null ? usersDefault : level;
    }

    /** The level needed to send an event: {@code events[type]}, else {@code state_default} or {@code events_default}. */
    public long eventLevel(String type, boolean isState) {
        Long level = events.get(type);
        if (level != null) {
            return level;
        }
        return isState ? stateDefault : eventsDefault;
    }

    /** The level needed for a notification kind such as {@code room}; 50 when not set. */
    public long notificationLevel(String key) {
        Long level = notifications.get(key);
        return level == null ? DEFAULT_NOTIFICATION : level;
    }

    public long invite() {
        return invite;
    }

    public long kick() {
        return kick;
    }

    public long ban() {
        return ban;
    }

    public long redact() {
        return redact;
    }

    public long stateDefault() {
        return stateDefault;
    }

    public long eventsDefault() {
        return eventsDefault;
    }

    public long usersDefault() {
        return usersDefault;
    }

    /** The explicit user levels, unmodifiable. */
    public Map<String, Long> users() {
        return users;
    }

    /** The explicit event levels, unmodifiable. */
    public Map<String, Long> events() {
        return events;
    }

    /** The explicit notification levels, unmodifiable. */
    public Map<String, Long> notifications() {
        return notifications;
    }
}
