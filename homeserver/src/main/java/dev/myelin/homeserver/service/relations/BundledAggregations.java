package dev.myelin.homeserver.service.relations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.Aggregations;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.storage.Relation;
import dev.myelin.homeserver.storage.RelationStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The server-side aggregations of the spec ("Aggregations of child events"): {@code m.replace}
 * (the most recent valid edit, as a full event), {@code m.thread} ({@code latest_event},
 * {@code count}, {@code current_user_participated}) and {@code m.reference} (a chunk of event IDs).
 * Annotations are not bundled. A redacted event gets no bundle; redacted children no longer
 * relate. Only children the viewer may read count. One query per batch, and none at all when no
 * event of the batch is in the {@link RelationIndex}.
 */
public final class BundledAggregations implements Aggregations {
    private static final Comparator<StoredEvent> NEWEST_EDIT_LAST = Comparator
            .comparingLong((StoredEvent e) -> e.pdu().originServerTs())
            .thenComparing(e -> e.pdu().eventId().value());

    private final RelationStore store;
    private final RelationIndex index;
    private final EventCache events;
    private final Visibility visibility;

    public BundledAggregations(RelationStore store, RelationIndex index, EventCache events, Visibility visibility) {
        this.store = store;
        this.index = index;
        this.events = events;
        this.visibility = visibility;
    }

    @Override
    public Map<EventId, ObjectNode> bundle(Collection<StoredEvent> batch, Requester viewer,
                                           Function<StoredEvent, ObjectNode> format) {
        Map<EventId, StoredEvent> parents = new LinkedHashMap<>();
        for (StoredEvent e : batch) {
            if (e.redactedBy() == null && index.mayHaveBundle(e.pdu().eventId())) {
                parents.put(e.pdu().eventId(), e);
            }
        }
        if (parents.isEmpty()) {
            return Map.of();
        }
        Map<EventId, List<Relation>> children = new HashMap<>();
        Map<RoomId, Long> readable = new HashMap<>();
        for (Relation r : store.bundled(parents.keySet())) {
            StoredEvent parent = parents.get(EventId.of(r.relatesTo()));
            if (parent != null && r.roomId().equals(parent.pdu().roomId().value())
                    && r.stream() <= readableUpTo(readable, viewer, parent.pdu().roomId())) {
                children.computeIfAbsent(parent.pdu().eventId(), k -> new ArrayList<>()).add(r);
            }
        }
        Map<EventId, StoredEvent> related = load(children.values());
        Map<EventId, ObjectNode> bundles = new HashMap<>();
        children.forEach((parentId, relations) -> {
            ObjectNode bundle = bundleOf(parents.get(parentId), relations, related, viewer, format);
            if (!bundle.isEmpty()) {
                bundles.put(parentId, bundle);
            }
        });
        return bundles;
    }

    private ObjectNode bundleOf(StoredEvent parent, List<Relation> relations, Map<EventId, StoredEvent> related,
                                Requester viewer, Function<StoredEvent, ObjectNode> format) {
        ObjectNode bundle = Json.object();
        StoredEvent edit = latestEdit(parent, relations, related);
        if (edit != null) {
            bundle.set(Relation.REPLACE, format.apply(edit));
        }
        List<Relation> thread = relations.stream().filter(r -> r.relType().equals(Relation.THREAD)).toList();
        StoredEvent latest = thread.isEmpty() ? null : related.get(EventId.of(thread.get(thread.size() - 1).eventId()));
        if (latest != null) {
            ObjectNode summary = bundle.putObject(Relation.THREAD);
            summary.set("latest_event", format.apply(latest));
            summary.put("count", thread.size());
            String me = viewer == null ? null : viewer.userId().value();
            summary.put("current_user_participated", me != null
                    && (parent.pdu().sender().value().equals(me) || thread.stream().anyMatch(r -> r.sender().equals(me))));
        }
        List<Relation> references = relations.stream().filter(r -> r.relType().equals(Relation.REFERENCE)).toList();
        if (!references.isEmpty()) {
            ArrayNode chunk = bundle.putObject(Relation.REFERENCE).putArray("chunk");
            references.forEach(r -> chunk.addObject().put("event_id", r.eventId()));
        }
        return bundle;
    }

    /**
     * The most recent valid replacement ("Validity of replacement events"): same sender, same
     * type, an {@code m.new_content}, of an original that is no state event and no edit itself.
     */
    private static StoredEvent latestEdit(StoredEvent parent, List<Relation> relations,
                                          Map<EventId, StoredEvent> related) {
        Pdu original = parent.pdu();
        Relation ownRelation = Relation.of(original, parent.stream());
        if (original.isState() || (ownRelation != null && ownRelation.relType().equals(Relation.REPLACE))) {
            return null;
        }
        StoredEvent latest = null;
        for (Relation r : relations) {
            if (!r.relType().equals(Relation.REPLACE) || !r.sender().equals(original.sender().value())
                    || !r.type().equals(original.type())) {
                continue;
            }
            StoredEvent edit = related.get(EventId.of(r.eventId()));
            JsonNode newContent = edit == null ? null : edit.pdu().content("m.new_content");
            if (newContent != null && newContent.isObject() && !edit.pdu().isState()
                    && (latest == null || NEWEST_EDIT_LAST.compare(edit, latest) > 0)) {
                latest = edit;
            }
        }
        return latest;
    }

    /** The children a bundle shows: every edit (to pick the latest valid one) and each thread's last event. */
    private Map<EventId, StoredEvent> load(Collection<List<Relation>> children) {
        List<EventId> ids = new ArrayList<>();
        for (List<Relation> relations : children) {
            Relation lastInThread = null;
            for (Relation r : relations) {
                if (r.relType().equals(Relation.REPLACE)) {
                    ids.add(EventId.of(r.eventId()));
                } else if (r.relType().equals(Relation.THREAD)) {
                    lastInThread = r;
                }
            }
            if (lastInThread != null) {
                ids.add(EventId.of(lastInThread.eventId()));
            }
        }
        Map<EventId, StoredEvent> loaded = new HashMap<>();
        events.getAll(ids).forEach(e -> loaded.put(e.pdu().eventId(), e));
        return loaded;
    }

    /** The last position the viewer may read in a room, looked up once per room and batch. */
    private long readableUpTo(Map<RoomId, Long> readable, Requester viewer, RoomId roomId) {
        if (viewer == null) {
            return Long.MAX_VALUE;
        }
        return readable.computeIfAbsent(roomId, room -> {
            try {
                return visibility.readableUpTo(viewer.userId(), room);
            } catch (MatrixException notAMember) {
                return -1L;
            }
        });
    }
}
