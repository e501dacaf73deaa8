package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.RoomEventListener;
import dev.myelin.homeserver.storage.FederationOutbox;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Sends this server's PDUs and EDUs to the other servers in each room: every one goes into the
 * durable {@link FederationOutbox} for each destination, and that destination's
 * {@link DestinationQueue} sends it in a transaction.
 */
public final class FederationSender implements RoomEventListener, AutoCloseable {
    private final ServerName self;
    private final FederationOutbox outbox;
    private final Function<ServerName, DestinationQueue> newQueue;
    private final ConcurrentHashMap<ServerName, DestinationQueue> queues = new ConcurrentHashMap<>();

    public FederationSender(ServerName self, FederationOutbox outbox, Function<ServerName, DestinationQueue> newQueue) {
        this.self = self;
        this.outbox = outbox;
        this.newQueue = newQueue;
    }

    /** Resumes sending what was queued before a restart. */
    public void start() {
        outbox.destinations().forEach(this::wake);
    }

    @Override
    public void published(LiveRoom room, Set<UserId> joinedBefore, StoredEvent event) {
        if (!event.pdu().sender().server().equals(self)) {
            return;
        }
        Set<ServerName> destinations = servers(joinedBefore);
        destinations.addAll(servers(room.joined()));
        if (event.pdu().type().equals("m.room.member")) {
            try {
                destinations.add(UserId.of(event.pdu().stateKey()).server());
            } catch (IllegalArgumentException ignored) {
                // not a user ID: nobody else to tell
            }
        }
        sendPdu(destinations, event.pdu().json());
    }

    /** Queues a PDU for the given servers (this server excluded). */
    public void sendPdu(Collection<ServerName> destinations, ObjectNode pdu) {
        queue(destinations, FederationOutbox.Kind.PDU, pdu);
    }

    /** Queues an EDU ({@code {"edu_type", "content"}}) for the given servers (this server excluded). */
    public void sendEdu(Collection<ServerName> destinations, String eduType, ObjectNode content) {
        ObjectNode edu = Json.object();
        edu.put("edu_type", eduType);
        edu.set("content", content);
        queue(destinations, FederationOutbox.Kind.EDU, edu);
    }

    /** The servers of a room's joined members, without this one. */
    public Set<ServerName> servers(Collection<UserId> members) {
        Set<ServerName> servers = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
        for (UserId member : members) {
            if (!member.server().equals(self)) {
                servers.add(member.server());
            }
        }
        return servers;
    }

    /** A destination was heard from: retry it now rather than at the end of its back-off. */
    public void heardFrom(ServerName server) {
        DestinationQueue queue = queues.get(server);
        if (queue != null) {
            queue.retryNow();
        }
    }

    private void queue(Collection<ServerName> destinations, FederationOutbox.Kind kind, ObjectNode payload) {
        Set<ServerName> targets = new TreeSet<>((a, b) -> a.value().compareTo(b.value()));
        destinations.stream().filter(d -> !d.equals(self)).forEach(targets::add);
        if (targets.isEmpty()) {
            return;
        }
        outbox.append(targets, kind, Json.writeString(payload));
        targets.forEach(this::wake);
    }

    private void wake(ServerName destination) {
        queues.computeIfAbsent(destination, newQueue).wake();
    }

    @Override
    public void close() {
        queues.values().forEach(DestinationQueue::close);
    }
}
