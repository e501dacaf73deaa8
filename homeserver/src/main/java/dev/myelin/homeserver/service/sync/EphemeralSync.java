package dev.myelin.homeserver.service.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import dev.myelin.homeserver.service.ephemeral.ReceiptService;
import dev.myelin.homeserver.service.ephemeral.TypingService;
import dev.myelin.homeserver.storage.PresenceStore.Presence;
import dev.myelin.homeserver.storage.ReceiptStore.Receipt;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The ephemeral parts of a {@code /sync} response: a joined room's {@code m.receipt} and
 * {@code m.typing} events, and the top-level {@code m.presence} events of the users who share a
 * room with the syncing user. A stream that did not move since the token costs nothing.
 */
public final class EphemeralSync {
    private final ReceiptService receipts;
    private final TypingService typing;
    private final PresenceService presence;

    public EphemeralSync(ReceiptService receipts, TypingService typing, PresenceService presence) {
        this.receipts = receipts;
        this.typing = typing;
        this.presence = presence;
    }

    /** A joined room's ephemeral events after {@code since} (everything current when it is the start). */
    ArrayNode room(UserId user, RoomId roomId, SyncToken since, SyncToken now, EventFilter filter) {
        ArrayNode events = Json.MAPPER.createArrayNode();
        if (!filter.allowsRoom(roomId)) {
            return events;
        }
        if (filter.matchesType("m.receipt")) {
            for (var content : ReceiptService.group(receipts.visible(user, roomId, since.receipts(), now.receipts()))) {
                events.add(receiptEvent(content));
            }
        }
        // The typing stream restarts with the server: a token from before a restart may be ahead of it.
        long typingSince = since.typing() > now.typing() ? 0 : since.typing();
        Optional<List<UserId>> typists = typing.changedSince(roomId, typingSince);
        if (filter.matchesType("m.typing") && typists.isPresent() && (typingSince > 0 || !typists.get().isEmpty())) {
            ObjectNode event = events.addObject().put("type", "m.typing");
            ArrayNode ids = event.putObject("content").putArray("user_ids");
            typists.get().forEach(u -> ids.add(u.value()));
        }
        return limited(events, filter);
    }

    /**
     * The m.presence events of the user and those who share a room with them: presence changed
     * after {@code since}, and the current presence of those who came to share a room since.
     */
    ArrayNode presence(UserId user, SyncToken since, SyncToken now, EventFilter filter) {
        ArrayNode events = Json.MAPPER.createArrayNode();
        if (!filter.matchesType("m.presence")) {
            return events;
        }
        Set<UserId> newcomers = presence.newNeighbours(user, since.roomEvents(), now.roomEvents());
        if (since.presence() >= now.presence() && newcomers.isEmpty()) {
            return events;
        }
        List<Presence> changed = new ArrayList<>();
        for (UserId other : presence.neighbours(user)) {
            presence.of(other)
                    .filter(p -> p.streamId() <= now.presence()
                            && (p.streamId() > since.presence() || newcomers.contains(other)))
                    .filter(p -> filter.matchesSender(p.userId().value()))
                    .ifPresent(changed::add);
        }
        changed.sort(Comparator.comparingLong(Presence::streamId));
        for (Presence p : changed) {
            ObjectNode event = events.addObject();
            event.put("type", "m.presence");
            event.put("sender", p.userId().value());
            event.set("content", presence.content(p));
        }
        return limited(events, filter);
    }

    private static ObjectNode receiptEvent(Map<String, Map<String, Map<String, Receipt>>> grouped) {
        ObjectNode event = Json.object().put("type", "m.receipt");
        ObjectNode content = event.putObject("content");
        grouped.forEach((eventId, byType) -> {
            ObjectNode types = content.putObject(eventId);
            byType.forEach((type, byUser) -> {
                ObjectNode users = types.putObject(type);
                byUser.forEach((userId, receipt) -> {
                    ObjectNode info = users.putObject(userId).put("ts", receipt.ts());
                    if (receipt.threadId() != null) {
                        info.put("thread_id", receipt.threadId());
                    }
                });
            });
        });
        return event;
    }

    /** Keeps the latest {@code limit} events when the filter has a limit. */
    private static ArrayNode limited(ArrayNode events, EventFilter filter) {
        if (filter.limit() == null || events.size() <= filter.limit()) {
            return events;
        }
        ArrayNode kept = Json.MAPPER.createArrayNode();
        for (int i = events.size() - filter.limit(); i < events.size(); i++) {
            kept.add(events.get(i));
        }
        return kept;
    }
}
