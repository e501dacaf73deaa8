package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import java.util.List;

/**
 * The room history the event and room state contracts read: a room with a create event, joins,
 * power levels, join rules, messages from devices with transaction IDs, a join and leave, an
 * invite, two name changes (the first lands on a snapshot state group, the others are deltas),
 * a redaction, and event types with LIKE metacharacters; and a second room whose events
 * interleave on the stream.
 */
final class SampleRoom {
    /** Deltas allowed before a snapshot; small, so the history has both kinds of state group. */
    static final int MAX_CHAIN = 4;

    final UserId alice = StoreContract.uniqueUser("alice");
    final UserId bob = StoreContract.uniqueUser("bob");
    final UserId dave = StoreContract.uniqueUser("dave");
    final RoomHistory room;
    final RoomHistory other;
    /** Every event of {@link #room}, in the order persisted, as persisted (before redaction). */
    final List<StoredEvent> timeline;
    final StoredEvent create;
    final StoredEvent aliceJoin;
    final StoredEvent powerLevels;
    final StoredEvent joinRules;
    final StoredEvent hello;
    final StoredEvent bobJoin;
    final StoredEvent spam;
    final StoredEvent lobby;
    final StoredEvent reply;
    final StoredEvent percentType;
    final StoredEvent lookalikeType;
    final StoredEvent redaction;
    final StoredEvent bobLeave;
    final StoredEvent daveInvite;
    final StoredEvent hall;

    SampleRoom(EventStore store) {
        room = RoomHistory.create(store, StoreContract.unique("sample"), alice, MAX_CHAIN);
        create = room.events().get(0);
        aliceJoin = room.events().get(1);
        powerLevels = room.state(alice, "m.room.power_levels", "",
                "{'users':{'" + alice.value() + "':100},'users_default':0,'redact':50}");
        joinRules = room.state(alice, "m.room.join_rules", "", "{'join_rule':'public'}");
        other = RoomHistory.create(store, StoreContract.unique("other"), bob, MAX_CHAIN);
        hello = room.messageFromDevice(alice, "hello", "ADEV", "t1");
        bobJoin = room.membership(bob, bob, "join");
        spam = room.messageFromDevice(bob, "spam", "BDEV", "t1");
        other.membership(alice, alice, "join");
        lobby = room.state(alice, "m.room.name", "", "{'name':'Lobby'}");
        reply = room.message(alice, "réponse 🌱 ✓");
        percentType = room.event(alice, "org.example.50%_off", "{}");
        lookalikeType = room.event(alice, "org.example.50xyoff", "{}");
        redaction = room.redact(bob, spam.pdu().eventId());
        bobLeave = room.membership(bob, bob, "leave");
        daveInvite = room.membership(alice, dave, "invite");
        hall = room.state(alice, "m.room.name", "", "{'name':'Hall'}");
        other.message(bob, "elsewhere");
        timeline = room.events();
    }

    static EventId id(StoredEvent event) {
        return event.pdu().eventId();
    }

    static List<EventId> ids(List<StoredEvent> events) {
        return events.stream().map(SampleRoom::id).toList();
    }
}
