package dev.myelin.homeserver.service.directory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.storage.RoomStateStore;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code m.room.canonical_alias} state event: before a client sends one, the aliases it adds
 * ({@code alias} and {@code alt_aliases} not already in the room's current event) must be valid
 * and, when they are this server's, exist and point at the room (400 {@code M_BAD_ALIAS}).
 * Another server's aliases cannot be resolved without federation and are accepted as they are.
 */
public final class CanonicalAlias {
    static final String TYPE = "m.room.canonical_alias";

    private final ServerName serverName;
    private final RoomStateStore store;

    public CanonicalAlias(ServerName serverName, RoomStateStore store) {
        this.serverName = serverName;
        this.store = store;
    }

    /** Checks a canonical alias event about to be sent into {@code room}. */
    public void check(LiveRoom room, ObjectNode content) {
        Set<RoomAlias> current = aliases(room.state(TYPE, ""));
        for (RoomAlias alias : aliases(content)) {
            if (!current.contains(alias) && alias.server().equals(serverName)
                    && !store.roomForAlias(alias).map(room.roomId()::equals).orElse(false)) {
                throw new MatrixException(ErrCode.M_BAD_ALIAS,
                        "Room alias " + alias + " does not point to room " + room.roomId());
            }
        }
    }

    /** The content with {@code alias} removed everywhere, or empty when it does not mention it. */
    static Optional<ObjectNode> without(Pdu event, RoomAlias alias) {
        if (event == null || !aliasesOrNone(event.content()).contains(alias)) {
            return Optional.empty();
        }
        ObjectNode content = event.content();
        if (alias.value().equals(content.path("alias").asText(null))) {
            content.remove("alias");
        }
        if (content.get("alt_aliases") instanceof ArrayNode alt) {
            for (int i = alt.size() - 1; i >= 0; i--) {
                if (alias.value().equals(alt.get(i).asText(null))) {
                    alt.remove(i);
                }
            }
        }
        return Optional.of(content);
    }

    private static Set<RoomAlias> aliases(Pdu event) {
        return event == null ? Set.of() : aliasesOrNone(event.content());
    }

    /** The aliases a stored event names, skipping malformed ones. */
    private static Set<RoomAlias> aliasesOrNone(JsonNode content) {
        try {
            return aliases(content);
        } catch (MatrixException malformed) {
            return Set.of();
        }
    }

    /** The aliases a new event names; M_INVALID_PARAM when one is not an alias. */
    private static Set<RoomAlias> aliases(JsonNode content) {
        Set<RoomAlias> aliases = new LinkedHashSet<>();
        JsonNode alias = content.get("alias");
        if (alias != null && !alias.isNull()) {
            aliases.add(parse(alias));
        }
        JsonNode alt = content.get("alt_aliases");
        if (alt != null && !alt.isNull()) {
            if (!alt.isArray()) {
                throw MatrixException.invalidParam("alt_aliases must be a list of room aliases");
            }
            alt.forEach(item -> aliases.add(parse(item)));
        }
        return aliases;
    }

    private static RoomAlias parse(JsonNode node) {
        if (!node.isTextual()) {
            throw MatrixException.invalidParam("Room aliases must be strings");
        }
        return LocalAliases.parse(node.asText());
    }
}
