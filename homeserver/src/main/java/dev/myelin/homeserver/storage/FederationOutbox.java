package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.ServerName;
import java.util.Collection;
import java.util.List;

/** The durable per-destination queue of PDUs and EDUs waiting to be sent to other servers. */
public interface FederationOutbox {
    /** What a queued entry carries. */
    enum Kind { PDU, EDU }

    /** One queued PDU or EDU, in the order it was queued. */
    record Entry(long id, Kind kind, String payload) {
    }

    /** Queues one payload for each destination. */
    void append(Collection<ServerName> destinations, Kind kind, String payload);

    /** The oldest entries of one kind queued for a destination. */
    List<Entry> pending(ServerName destination, Kind kind, int limit);

    /** Removes entries a destination acknowledged. */
    void remove(ServerName destination, Collection<Long> ids);

    /** The destinations that have anything queued, for resuming after a restart. */
    List<ServerName> destinations();
}
