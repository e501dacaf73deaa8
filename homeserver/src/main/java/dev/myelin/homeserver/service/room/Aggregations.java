package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/**
 * The bundled aggregations ({@code unsigned.m.relations}) that {@link ClientEvents} adds to the
 * events it serves, computed for a whole batch of events at once.
 */
public interface Aggregations {
    /** No aggregations at all. */
    Aggregations NONE = (events, viewer, format) -> Map.of();

    /**
     * The {@code m.relations} object of each of {@code events} that has one, as {@code viewer}
     * (possibly null) sees it; {@code format} turns a related event into client format.
     */
    Map<EventId, ObjectNode> bundle(Collection<StoredEvent> events, Requester viewer,
                                    Function<StoredEvent, ObjectNode> format);
}
