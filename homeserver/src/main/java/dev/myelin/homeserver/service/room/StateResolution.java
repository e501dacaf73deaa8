package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.state.StateResolver;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.List;
import java.util.Map;

/** Resolves the room state where branches of a room's event graph meet (state resolution v2). */
@FunctionalInterface
public interface StateResolution {
    Map<StateKey, EventId> resolve(RoomVersion version, List<Map<StateKey, EventId>> stateSets);

    /** State resolution v2 over the events this server holds. */
    static StateResolution v2(EventCache events) {
        return (version, stateSets) -> StateResolver.resolve(version, stateSets,
                id -> events.get(id).map(StoredEvent::pdu));
    }
}
