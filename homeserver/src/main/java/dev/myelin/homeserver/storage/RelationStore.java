package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.EventStore.Direction;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Reads of the relations between events. Relations are written by {@link EventStore#persist}
 * in the event's transaction and removed when the relating event is redacted.
 */
public interface RelationStore {
    /**
     * A page of the relations to any of {@code parents} in a room: forwards, positions in
     * {@code (from, to]} ascending; backwards, in {@code (to, from]} descending. A null
     * {@code relType} or {@code type} matches any.
     */
    List<Relation> children(RoomId roomId, Collection<EventId> parents, String relType, String type, long from,
                            long to, Direction direction, int limit);

    /** Every relation of a bundled type ({@link Relation#isBundled}) to any of {@code parents}, in stream order. */
    List<Relation> bundled(Collection<EventId> parents);

    /** A thread's root and the stream position of its latest reply. */
    record ThreadRoot(EventId root, long latest) {
    }

    /**
     * The threads of a room whose latest reply is at or before {@code before}, most recently
     * active first; with a {@code participant}, only threads they started or replied to.
     */
    List<ThreadRoot> threads(RoomId roomId, long before, UserId participant, int limit);

    /** Whether {@code sender} already annotated {@code parent} with this key and event type. */
    boolean hasAnnotation(EventId parent, String type, String key, UserId sender);

    /** The events that have relations of a bundled type, to prime an in-memory index. */
    Set<EventId> parentsWithBundledRelations();
}
