package dev.myelin.federation.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/**
 * Checks the content of an {@code m.room.server_acl} event that a local user is about to send
 * against the event schema: {@code allow} and {@code deny} are arrays of strings and
 * {@code allow_ip_literals} is a boolean, each when present. Receivers stay lenient
 * ({@link ServerAcl#fromContent}); senders are held to the schema.
 */
public final class ServerAclContent {
    private ServerAclContent() {
    }

    /** Why the content does not fit the schema, or empty when it does. */
    public static Optional<String> problem(JsonNode content) {
        if (content == null || !content.isObject()) {
            return Optional.of("m.room.server_acl content must be an object");
        }
        for (String field : new String[] {"allow", "deny"}) {
            JsonNode list = content.get(field);
            if (list == null) {
                continue;
            }
            if (!list.isArray()) {
                return Optional.of(field + " must be an array of server name globs");
            }
            for (JsonNode entry : list) {
                if (!entry.isTextual()) {
                    return Optional.of(field + " must contain only strings");
                }
            }
        }
        JsonNode ipLiterals = content.get("allow_ip_literals");
        if (ipLiterals != null && !ipLiterals.isBoolean()) {
            return Optional.of("allow_ip_literals must be a boolean");
        }
        return Optional.empty();
    }
}
