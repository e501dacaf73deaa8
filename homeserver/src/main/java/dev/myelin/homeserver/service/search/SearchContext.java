package dev.myelin.homeserver.service.search;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.EventStore.Direction;
import dev.myelin.homeserver.storage.EventStore.EventQuery;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code context} of one search result: the events just before and after it that the user
 * may read, pagination tokens around them and, if asked, the senders' profiles as the room
 * state at the result recorded them.
 */
final class SearchContext {
    private final EventStore store;
    private final EventCache cache;
    private final RoomStateStore roomStore;
    private final ClientEvents clientEvents;
    private final Visibility visibility;

    SearchContext(EventStore store, EventCache cache, RoomStateStore roomStore, ClientEvents clientEvents,
                  Visibility visibility) {
        this.store = store;
        this.cache = cache;
        this.roomStore = roomStore;
        this.clientEvents = clientEvents;
        this.visibility = visibility;
    }

    /**
     * @param upTo the last position the user may read in the result's room
     */
    ObjectNode around(Requester requester, StoredEvent result, long upTo, SearchCriteria criteria) {
        RoomId roomId = result.pdu().roomId();
        List<StoredEvent> before = visibility.visible(requester.userId(), roomId, cache.current(store.roomEvents(roomId,
                result.stream() - 1, 0, Direction.BACKWARDS, criteria.beforeLimit(), EventQuery.ALL)));
        List<StoredEvent> after = visibility.visible(requester.userId(), roomId, cache.current(store.roomEvents(roomId,
                result.stream(), upTo, Direction.FORWARDS, criteria.afterLimit(), EventQuery.ALL)));
        ObjectNode context = Json.object();
        long start = before.isEmpty() ? result.stream() - 1 : before.get(before.size() - 1).stream() - 1;
        long end = after.isEmpty() ? result.stream() : after.get(after.size() - 1).stream();
        context.put("start", new SyncToken(start, 0).toString());
        context.put("end", new SyncToken(end, 0).toString());
        context.set("events_before", array(requester, before));
        context.set("events_after", array(requester, after));
        if (criteria.includeProfile()) {
            Set<StoredEvent> shown = new LinkedHashSet<>(before);
            shown.add(result);
            shown.addAll(after);
            context.set("profile_info", profiles(result, shown));
        }
        return context;
    }

    /** Each sender's displayname and avatar_url from their member event in the state at the result. */
    private ObjectNode profiles(StoredEvent result, Set<StoredEvent> shown) {
        Set<StateKey> keys = new LinkedHashSet<>();
        shown.forEach(e -> keys.add(new StateKey("m.room.member", e.pdu().sender().value())));
        Map<StateKey, EventId> members = roomStore.stateOfGroup(result.stateGroup(), keys);
        ObjectNode profiles = Json.object();
        for (StoredEvent member : cache.getAll(members.values())) {
            Pdu pdu = member.pdu();
            ObjectNode profile = profiles.putObject(pdu.stateKey());
            if (pdu.content().path("displayname").isTextual()) {
                profile.put("displayname", pdu.content().get("displayname").asText());
            }
            if (pdu.content().path("avatar_url").isTextual()) {
                profile.put("avatar_url", pdu.content().get("avatar_url").asText());
            }
        }
        return profiles;
    }

    private ArrayNode array(Requester requester, List<StoredEvent> events) {
        ArrayNode array = Json.MAPPER.createArrayNode();
        events.forEach(e -> array.add(clientEvents.format(e, requester)));
        return array;
    }
}
