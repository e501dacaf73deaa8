package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.state.MonotoneDepths;
import dev.myelin.federation.state.StateResolver;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Resolves the room state where branches of a room's event graph meet (state resolution v2). */
@FunctionalInterface
public interface StateResolution {
    /**
     * Resolves the state sets. {@code unstored} is the event being written when the sets name it
     * (the state after it is one of them) and the store cannot give it yet; the resolver would
     * otherwise skip it as unknown, and this server's state would part from every other's.
     */
    Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> stateSets,
                                   Optional<Pdu> unstored);

    /** For how many events the server keeps, between resolutions, whether depth falls below them. */
    int DEPTH_FACTS_KEPT = 200_000;

    /**
     * State resolution v2 over the events this server holds, sharing between resolutions what it
     * learns of the auth graph's depths (so that a fork in a big room walks only what is above
     * the fork once the room's graph is known).
     */
    static StateResolution v2(EventCache events) {
        MonotoneDepths depths = new MonotoneDepths(DEPTH_FACTS_KEPT);
        return (version, stateSets, unstored) -> StateResolver.resolve(version, stateSets,
                id -> unstored.filter(pdu -> pdu.eventId().equals(id))
                        .or(() -> events.get(id).map(StoredEvent::pdu)), depths);
    }
}
