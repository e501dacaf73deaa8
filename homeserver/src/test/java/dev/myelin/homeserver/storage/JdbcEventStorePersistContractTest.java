package dev.myelin.homeserver.storage;

import static dev.myelin.homeserver.storage.SampleRoom.id;
import static dev.myelin.homeserver.storage.SampleRoom.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.EventStore.Direction;
import dev.myelin.homeserver.storage.EventStore.EventQuery;
import dev.myelin.homeserver.storage.RoomStateStore.RoomHead;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcEventStore#persist} as one transaction, on both databases: what it writes, and that
 * a persist failing at any of its statements leaves nothing behind, seen through the public reads.
 */
class JdbcEventStorePersistContractTest {

    @Nested
    class Sqlite extends Contract {
        Sqlite() {
            super(Backend.SQLITE);
        }
    }

    @Nested
    class Postgres extends Contract {
        Postgres() {
            super(Backend.POSTGRES);
        }
    }

    abstract static class Contract extends StoreContract {
        private EventStore events;
        private RoomStateStore rooms;
        private final UserId alice = uniqueUser("alice");

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            events = new JdbcEventStore(db);
            rooms = new JdbcRoomStateStore(db);
        }

        private RoomHistory newRoom() {
            return RoomHistory.create(events, unique("room"), alice, 8);
        }

        /** Everything a failed persist could have left behind, as the public reads show it. */
        private List<Object> observable(RoomHistory room) {
            return List.of(events.maxStream(), events.maxStateGroup(), rooms.roomHead(room.roomId()),
                    rooms.currentState(room.roomId()), ids(events.roomEvents(room.roomId(), 0, Long.MAX_VALUE,
                            Direction.FORWARDS, 1000, EventQuery.ALL)), rooms.membershipsOf(alice));
        }

        @Test
        void createEventCreatesTheRoomWithItsVersion() {
            RoomHistory room = newRoom();
            RoomHead head = rooms.roomHead(room.roomId()).orElseThrow();
            assertEquals("10", head.roomVersion());
            assertEquals(room.extremities(), head.forwardExtremities());
            assertEquals(2, ids(events.roomEvents(room.roomId(), 0, Long.MAX_VALUE, Direction.FORWARDS, 10,
                    EventQuery.ALL)).size());
        }

        @Test
        void onlyStateEventsCreateStateGroups() {
            RoomHistory room = newRoom();
            long groups = events.maxStateGroup();
            StoredEvent message = room.message(alice, "no new state");
            assertEquals(groups, events.maxStateGroup());
            assertEquals(groups, message.stateGroup());
            StoredEvent topic = room.state(alice, "m.room.topic", "", "{'topic':'t'}");
            assertEquals(groups + 1, events.maxStateGroup());
            assertEquals(id(topic), rooms.currentState(room.roomId()).get(StateKey.of("m.room.topic", "")));
        }

        @Test
        void forwardExtremitiesAreReplacedByEachEvent() {
            RoomHistory room = newRoom();
            StoredEvent last = room.events().get(1);
            NewEvent fork = room.prepare(alice, "m.room.message", null, RoomHistory.json("{'body':'fork'}"),
                    null, null, null);
            List<dev.myelin.federation.id.EventId> both = List.of(id(last), id(fork.event()));
            room.persist(new NewEvent(fork.event(), null, null, null, fork.chainLength(), null, both, null, null, null));
            assertEquals(java.util.Set.copyOf(both),
                    java.util.Set.copyOf(rooms.roomHead(room.roomId()).orElseThrow().forwardExtremities()));
            StoredEvent merge = room.message(alice, "merge");
            assertEquals(List.of(id(merge)), rooms.roomHead(room.roomId()).orElseThrow().forwardExtremities());
        }

        @Test
        void failedCreateLeavesNoRoomBehind() {
            newRoom();
            RoomHistory room = RoomHistory.empty(events, unique("never"), 8);
            NewEvent create = room.prepareCreate(alice);
            long taken = events.maxStream();
            assertThrows(RuntimeException.class, () -> events.persist(withStream(create, taken)));
            assertEquals(Optional.empty(), rooms.roomHead(room.roomId()));
            assertEquals(Optional.empty(), events.event(id(create.event())));
            assertEquals(taken, events.maxStream());
            room.persist(create);
            assertEquals("10", rooms.roomHead(room.roomId()).orElseThrow().roomVersion());
        }

        @Test
        void duplicateEventIdRollsBack() {
            RoomHistory room = newRoom();
            NewEvent message = room.prepare(alice, "m.room.message", null, RoomHistory.json("{'body':'once'}"),
                    null, null, null);
            room.persist(message);
            List<Object> before = observable(room);
            assertThrows(RuntimeException.class, () -> events.persist(withStream(message, events.maxStream() + 1)));
            assertEquals(before, observable(room));
        }

        @Test
        void duplicateTransactionIdRollsBackTheEvent() {
            RoomHistory room = newRoom();
            StoredEvent first = room.messageFromDevice(alice, "first", "DEV", "txn-1");
            List<Object> before = observable(room);
            NewEvent again = room.prepare(alice, "m.room.message", null, RoomHistory.json("{'body':'again'}"),
                    "DEV", "txn-1", null);
            assertThrows(RuntimeException.class, () -> events.persist(again));
            assertEquals(before, observable(room));
            assertEquals(Optional.empty(), events.event(id(again.event())));
            assertEquals(Optional.of(id(first)), events.eventForTransaction(alice, "DEV", "txn-1"));
        }

        @Test
        void failureAtTheLastWriteRollsBackEveryEarlierWrite() {
            RoomHistory room = newRoom();
            UserId carol = uniqueUser("carol");
            List<Object> before = observable(room);
            NewEvent join = room.prepare(carol, StateKey.MEMBER, carol.value(),
                    RoomHistory.json("{'membership':'join'}"), "CDEV", "join-1", null);
            NewEvent broken = new NewEvent(join.event(), join.roomVersion(), join.newStateGroup(),
                    join.prevStateGroup(), join.chainLength(), join.snapshot(), join.extremities(),
                    new NewEvent.Membership(carol, null), join.sender(), join.redacts());
            assertThrows(RuntimeException.class, () -> events.persist(broken));
            assertEquals(before, observable(room));
            assertEquals(Optional.empty(), events.eventForTransaction(carol, "CDEV", "join-1"));
            assertEquals(Map.of(), rooms.stateOfGroup(join.newStateGroup()));
            assertEquals(Optional.empty(), rooms.membership(room.roomId(), carol));

            room.persist(join);
            assertEquals("join", rooms.membership(room.roomId(), carol).orElseThrow().membership());
            assertEquals(Optional.of(id(join.event())), events.eventForTransaction(carol, "CDEV", "join-1"));
            assertTrue(rooms.currentState(room.roomId()).containsKey(StateKey.member(carol)));
        }

        @Test
        void snapshotWithDuplicateEntriesRollsBack() {
            RoomHistory room = RoomHistory.create(events, unique("snap"), alice, 0);
            List<Object> before = observable(room);
            NewEvent name = room.prepare(alice, "m.room.name", "", RoomHistory.json("{'name':'n'}"), null, null, null);
            List<NewEvent.StateEntry> doubled = new java.util.ArrayList<>(name.snapshot());
            doubled.add(name.snapshot().get(0));
            NewEvent broken = new NewEvent(name.event(), null, name.newStateGroup(), null, 0, doubled,
                    name.extremities(), null, null, null);
            assertThrows(RuntimeException.class, () -> events.persist(broken));
            assertEquals(before, observable(room));
            assertEquals(Map.of(), rooms.stateOfGroup(name.newStateGroup()));
        }

        private static NewEvent withStream(NewEvent change, long stream) {
            StoredEvent e = change.event();
            StoredEvent moved = new StoredEvent(stream, e.pdu(), e.stateGroup(), e.prevStateId(), e.senderDevice(),
                    e.txnId(), e.redactedBy());
            return new NewEvent(moved, change.roomVersion(), change.newStateGroup(), change.prevStateGroup(),
                    change.chainLength(), change.snapshot(), change.extremities(), change.membership(),
                    change.sender(), change.redacts());
        }
    }
}
