package dev.myelin.homeserver.service.relations;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.Relation;
import dev.myelin.homeserver.storage.RelationStore;

/**
 * What a client may not relate when it sends an event: a second identical annotation (same
 * sender, event type, target and key) is refused with 400 {@code M_DUPLICATE_ANNOTATION}, unless
 * it is the retry of the same transaction. Sending a relation of a bundled type also notes its
 * target in the {@link RelationIndex}. Runs under the room's lock, so the check cannot race.
 */
public final class RelationChecks {
    private final RelationStore store;
    private final EventStore events;
    private final RelationIndex index;

    public RelationChecks(RelationStore store, EventStore events, RelationIndex index) {
        this.store = store;
        this.events = events;
        this.index = index;
    }

    /** The relation an event with this content would declare, or null: most events need no check. */
    public static Relation.Declared declared(ObjectNode content) {
        return Relation.Declared.of(content.get("m.relates_to"));
    }

    /** Checks a relating event about to be sent and notes it in the index. */
    public void beforeSend(Requester sender, String type, Relation.Declared relation, String txnId) {
        if (relation.relType().equals(Relation.ANNOTATION) && relation.key() != null
                && store.hasAnnotation(relation.relatesTo(), type, relation.key(), sender.userId())
                && (txnId == null || events.eventForTransaction(sender.userId(), sender.deviceId(), txnId).isEmpty())) {
            throw new MatrixException(ErrCode.M_DUPLICATE_ANNOTATION, "Can't send the same reaction twice");
        }
        index.add(relation.relatesTo(), relation.relType());
    }
}
