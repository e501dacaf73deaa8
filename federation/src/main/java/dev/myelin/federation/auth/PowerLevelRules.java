package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.UserId;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** Rule 9 of the authorization rules: changes to {@code m.room.power_levels}. */
final class PowerLevelRules {
    static final List<String> LEVEL_KEYS = List.of("users_default", "events_default", "state_default", "ban",
            "redact", "kick", "invite");

    private PowerLevelRules() {
    }

    static void check(Pdu event, Pdu previous, long senderLevel, RoomVersion v) {
        JsonNode content = event.content();
        checkContent(content, v);
        if (previous == null) {
            return;
        }
        checkChange(content, previous, event.sender().value(), senderLevel);
    }

    /** Rules 9.1 to 9.3: the shape of a power levels content, whoever sends it. */
    static void checkContent(JsonNode content, RoomVersion v) {
        for (String key : LEVEL_KEYS) {
            JsonNode value = content.get(key);
            if (value != null && !isLevel(value, v)) {
                throw new AuthException("9.1", key + " is not an integer");
            }
        }
        for (String key : List.of("events", "notifications")) {
            JsonNode map = content.get(key);
            if (map != null && !isLevelMap(map, v)) {
                throw new AuthException("9.2", key + " is not an object with integer values");
            }
        }
        JsonNode users = content.get("users");
        if (users != null) {
            if (!isLevelMap(users, v)) {
                throw new AuthException("9.3", "users is not an object with integer values");
            }
            for (Map.Entry<String, JsonNode> e : users.properties()) {
                try {
                    UserId.of(e.getKey());
                } catch (IllegalArgumentException ex) {
                    throw new AuthException("9.3", "users has a key that is not a user ID: " + e.getKey());
                }
            }
        }
    }

    private static void checkChange(JsonNode content, Pdu previous, String sender, long senderLevel) {
        JsonNode old = previous.content();
        for (String key : LEVEL_KEYS) {
            Long before = PowerLevels.parseLevel(old.get(key));
            Long after = PowerLevels.parseLevel(content.get(key));
            if (!Objects.equals(before, after)) {
                if (before != null && before > senderLevel) {
                    throw new AuthException("9.5.1", "cannot change " + key + " from " + before + ", above the sender's level " + senderLevel);
                }
                if (after != null && after > senderLevel) {
                    throw new AuthException("9.5.2", "cannot set " + key + " to " + after + ", above the sender's level " + senderLevel);
                }
            }
        }
        for (String map : List.of("events", "notifications")) {
            JsonNode beforeMap = old.path(map);
            JsonNode afterMap = content.path(map);
            for (String key : keys(beforeMap, afterMap)) {
                Long before = PowerLevels.parseLevel(beforeMap.get(key));
                Long after = PowerLevels.parseLevel(afterMap.get(key));
                if (Objects.equals(before, after)) {
                    continue;
                }
                if (before != null && before > senderLevel) {
                    throw new AuthException("9.6.1", "cannot change " + map + "[" + key + "] from " + before
                            + ", above the sender's level " + senderLevel);
                }
                if (after != null && after > senderLevel) {
                    throw new AuthException("9.7.1", "cannot set " + map + "[" + key + "] to " + after
                            + ", above the sender's level " + senderLevel);
                }
            }
        }
        JsonNode beforeUsers = old.path("users");
        JsonNode afterUsers = content.path("users");
        for (String user : keys(beforeUsers, afterUsers)) {
            Long before = PowerLevels.parseLevel(beforeUsers.get(user));
            Long after = PowerLevels.parseLevel(afterUsers.get(user));
            if (Objects.equals(before, after)) {
                continue;
            }
            if (before != null && !user.equals(sender) && before >= senderLevel) {
                throw new AuthException("9.8.1", "cannot change the level of " + user + " (" + before
                        + "), not below the sender's level " + senderLevel);
            }
            if (after != null && after > senderLevel) {
                throw new AuthException("9.9.1", "cannot give " + user + " level " + after
                        + ", above the sender's level " + senderLevel);
            }
        }
    }

    private static boolean isLevel(JsonNode value, RoomVersion v) {
        if (v.integerPowerLevels()) {
            return value.isIntegralNumber() && value.canConvertToLong();
        }
        return PowerLevels.parseLevel(value) != null;
    }

    private static boolean isLevelMap(JsonNode map, RoomVersion v) {
        if (!map.isObject()) {
            return false;
        }
        for (Map.Entry<String, JsonNode> e : map.properties()) {
            if (!isLevel(e.getValue(), v)) {
                return false;
            }
        }
        return true;
    }

    private static Set<String> keys(JsonNode a, JsonNode b) {
        Set<String> keys = new LinkedHashSet<>();
        (a.isObject() ? a : MissingNode.getInstance()).fieldNames().forEachRemaining(keys::add);
        (b.isObject() ? b : MissingNode.getInstance()).fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
