package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.AuthEvents;
import dev.myelin.federation.auth.AuthException;
import dev.myelin.federation.auth.AuthRules;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.PduFormatException;
import dev.myelin.federation.event.PduTooLargeException;
import dev.myelin.federation.event.Redaction;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.DuplicateTransactionException;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.NewEvent;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Creates local events: under the room's lock it picks prev_events and auth_events, builds and
 * signs the PDU, checks it against the authorization rules, persists it with the state it
 * implies, advances the room's head and wakes the members' long-polls.
 */
public final class EventWriter {
    /** A state group is a full snapshot after this many deltas, bounding reads of old state. */
    static final int MAX_CHAIN_LENGTH = 64;

    private final ServerName serverName;
    private final SigningKey signingKey;
    private final EventStore store;
    private final EventCache cache;
    private final Streams streams;
    private final Notifier notifier;
    private final UserMemberships memberships;
    private final CommitHook commitHook;
    private final RoomEventListener listener;

    public EventWriter(ServerName serverName, SigningKey signingKey, EventStore store, EventCache cache,
                       Streams streams, Notifier notifier, UserMemberships memberships, CommitHook commitHook,
                       RoomEventListener listener) {
        this.listener = listener;
        this.memberships = memberships;
        this.commitHook = commitHook;
        this.serverName = serverName;
        this.signingKey = signingKey;
        this.store = store;
        this.cache = cache;
        this.streams = streams;
        this.notifier = notifier;
    }

    /** Creates, authorizes and persists an event in a room; idempotent per device transaction. */
    public StoredEvent send(LiveRoom room, EventDraft draft) {
        return send(room, draft, java.util.function.UnaryOperator.identity());
    }

    /**
     * Like {@link #send(LiveRoom, EventDraft)}, with a last step before persistence: a remote
     * invitee's server countersigning the invite. It must return the same event.
     */
    public StoredEvent send(LiveRoom room, EventDraft draft, java.util.function.UnaryOperator<Pdu> countersign) {
        room.lock().lock();
        try {
            return write(room, draft, countersign);
        } catch (DuplicateTransactionException e) {
            // The device sent this transaction before: answer with that event, as the spec asks.
            EventId earlier = store.eventForTransaction(draft.sender(), draft.deviceId(), draft.txnId()).orElseThrow();
            return cache.get(earlier).orElseThrow();
        } finally {
            room.lock().unlock();
        }
    }

    /**
     * The event a remote user would send in this room now, without hashes and signatures: what
     * {@code make_join} and {@code make_leave} return. Forbidden when the rules would not allow it.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode template(LiveRoom room, EventDraft draft) {
        room.lock().lock();
        try {
            PduBuilder builder = builder(room, room.head(), draft);
            try {
                AuthRules.check(builder.build(), authState(room.head(), draft, room));
            } catch (AuthException e) {
                throw MatrixException.forbidden(e.getMessage());
            }
            return builder.buildTemplate();
        } finally {
            room.lock().unlock();
        }
    }

    private static Map<StateKey, Pdu> authState(LiveRoom.Head head, EventDraft draft, LiveRoom room) {
        Map<StateKey, Pdu> authState = new LinkedHashMap<>();
        for (StateKey key : AuthEvents.selectFor(draft.type(), draft.sender(), draft.stateKey(), draft.content(),
                room.version())) {
            Pdu event = head.state().get(key);
            if (event != null) {
                authState.put(key, event);
            }
        }
        return authState;
    }

    private PduBuilder builder(LiveRoom room, LiveRoom.Head head, EventDraft draft) {
        return PduBuilder.create(room.version())
                .roomId(room.roomId())
                .sender(draft.sender())
                .type(draft.type())
                .stateKey(draft.stateKey())
                .content(draft.content())
                .prevEvents(head.extremities())
                .authEvents(authState(head, draft, room).values().stream().map(Pdu::eventId).toList())
                .depth(head.maxDepth() + 1)
                .originServerTs(System.currentTimeMillis())
                .redacts(draft.redacts())
                .origin(serverName)
                .signingKey(signingKey);
    }

    private StoredEvent write(LiveRoom room, EventDraft draft, java.util.function.UnaryOperator<Pdu> countersign) {
        LiveRoom.Head head = room.head();
        Map<StateKey, Pdu> authState = authState(head, draft, room);
        Pdu built;
        try {
            built = builder(room, head, draft).build();
        } catch (PduTooLargeException e) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, "Event is larger than 65536 bytes.");
        } catch (PduFormatException e) {
            throw MatrixException.badJson("Invalid event: " + e.getMessage());
        }
        try {
            AuthRules.check(built, authState);
        } catch (AuthException e) {
            throw MatrixException.forbidden(e.getMessage());
        }
        Pdu pdu = countersign.apply(built);
        if (!pdu.eventId().equals(built.eventId())) {
            throw new MatrixException(ErrCode.M_UNKNOWN, 502, "The invitee's server changed the invite", Map.of());
        }
        NewEvent.Redaction redaction = redactionOf(cache, room, pdu);
        Consumer<StoredEvent> onCommit = commitHook.prepare(room, pdu);
        StoredEvent stored = streams.roomEvents().write(position -> {
            StoredEvent persisted = persist(room, head, pdu, draft, position, redaction);
            onCommit.accept(persisted);
            return persisted;
        });
        published(cache, notifier, room, stored, redaction);
        listener.published(room, head.joined(), stored);
        return stored;
    }

    /** After an event's commit: caches it (and its redaction's effect) and wakes the members. */
    static void published(EventCache cache, Notifier notifier, LiveRoom room, StoredEvent stored,
                          NewEvent.Redaction redaction) {
        Pdu pdu = stored.pdu();
        cache.put(stored);
        if (redaction != null) {
            cache.get(redaction.target()).ifPresent(target -> {
                StoredEvent redacted = new StoredEvent(target.stream(), redaction.redactedPdu(), target.stateGroup(),
                        target.prevStateId(), target.senderDevice(), target.txnId(), pdu.eventId().value());
                cache.put(redacted);
                room.replaceRecent(redacted);
            });
        }
        notifier.notify(usersToWake(room, pdu));
    }

    private StoredEvent persist(LiveRoom room, LiveRoom.Head head, Pdu pdu, EventDraft draft, long position,
                                NewEvent.Redaction redaction) {
        Map<StateKey, Pdu> state = head.state();
        long stateGroup = head.stateGroup();
        int chainLength = head.chainLength();
        String prevStateId = null;
        Long newGroup = null;
        Long prevGroup = null;
        List<NewEvent.StateEntry> snapshot = null;
        if (pdu.isState()) {
            StateKey key = new StateKey(pdu.type(), pdu.stateKey());
            Pdu replaced = state.get(key);
            prevStateId = replaced == null ? null : replaced.eventId().value();
            state = new HashMap<>(state);
            state.put(key, pdu);
            newGroup = streams.nextStateGroup();
            if (stateGroup == 0 || chainLength >= MAX_CHAIN_LENGTH) {
                snapshot = new ArrayList<>();
                for (Map.Entry<StateKey, Pdu> entry : state.entrySet()) {
                    snapshot.add(new NewEvent.StateEntry(entry.getKey(), entry.getValue().eventId()));
                }
                chainLength = 0;
            } else {
                prevGroup = stateGroup;
                chainLength++;
            }
            stateGroup = newGroup;
        }
        StoredEvent stored = new StoredEvent(position, pdu, stateGroup, prevStateId, draft.deviceId(), draft.txnId(), null);
        NewEvent.Membership membership = pdu.type().equals("m.room.member")
                ? new NewEvent.Membership(UserId.of(pdu.stateKey()), pdu.membership())
                : null;
        String createdVersion = pdu.type().equals("m.room.create") && "".equals(pdu.stateKey())
                ? room.version().id() : null;
        store.persist(new NewEvent(stored, createdVersion, newGroup, prevGroup, chainLength, snapshot,
                List.of(pdu.eventId()), membership, draft.deviceId() != null ? draft.sender() : null, redaction));
        room.advance(state, List.of(pdu.eventId()), pdu.depth(), stateGroup, chainLength, stored);
        if (membership != null) {
            memberships.update(new RoomStateStore.MembershipRow(room.roomId(), membership.userId(),
                    membership.membership(), pdu.eventId(), position));
        }
        return stored;
    }

    /** For a redaction of an event in the same room, the target's redacted form. */
    static NewEvent.Redaction redactionOf(EventCache cache, LiveRoom room, Pdu pdu) {
        if (!pdu.type().equals("m.room.redaction") || pdu.redacts() == null) {
            return null;
        }
        Optional<StoredEvent> target = cache.get(pdu.redacts());
        if (target.isEmpty() || !target.get().pdu().roomId().equals(room.roomId())) {
            return null;
        }
        return new NewEvent.Redaction(pdu.redacts(), target.get().pdu().redacted());
    }

    /** Members to wake: everyone joined or invited, and the target of a membership change. */
    private static Set<UserId> usersToWake(LiveRoom room, Pdu pdu) {
        Set<UserId> users = new HashSet<>(room.joined());
        users.addAll(room.invited());
        if (pdu.type().equals("m.room.member")) {
            users.add(UserId.of(pdu.stateKey()));
        }
        return users;
    }
}
