package dev.myelin.homeserver.service.relations;

import dev.myelin.federation.id.EventId;
import dev.myelin.homeserver.storage.Relation;
import dev.myelin.homeserver.storage.RelationStore;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The IDs of the events that have (or had) relations of a bundled type, held in memory so that
 * serving an event without any (nearly all of them) costs a set lookup rather than a query.
 * Loaded at start-up; an ID is added before the relating event is written, so the index never
 * misses a parent. It may keep a parent whose relations were redacted: that costs one query.
 */
public final class RelationIndex {
    private final Set<EventId> parents = ConcurrentHashMap.newKeySet();

    public RelationIndex(RelationStore store) {
        parents.addAll(store.parentsWithBundledRelations());
    }

    /** Notes that a relation of this type to {@code parent} is about to be written. */
    public void add(EventId parent, String relType) {
        if (Relation.isBundled(relType)) {
            parents.add(parent);
        }
    }

    public boolean mayHaveBundle(EventId eventId) {
        return parents.contains(eventId);
    }

    /** Whether any of the events may have a bundle. */
    public boolean anyMayHaveBundle(Collection<EventId> eventIds) {
        for (EventId id : eventIds) {
            if (parents.contains(id)) {
                return true;
            }
        }
        return false;
    }
}
