package dev.myelin.homeserver.storage;

import static dev.myelin.homeserver.storage.SampleRoom.id;
import static dev.myelin.homeserver.storage.SampleRoom.ids;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.storage.EventStore.Direction;
import dev.myelin.homeserver.storage.EventStore.EventQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Reads of {@link JdbcEventStore} against the {@link EventStore} contract, on both databases. */
class JdbcEventStoreContractTest {

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
        private SampleRoom s;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            events = new JdbcEventStore(db);
            s = new SampleRoom(events);
        }

        /** The facts of a stored event, comparable (a Pdu equals any Pdu with the same ID). */
        private static List<Object> facts(StoredEvent e) {
            return java.util.Arrays.asList(e.stream(), e.pdu().eventId(), e.pdu().canonicalJson(), e.stateGroup(),
                    e.prevStateId(), e.senderDevice(), e.txnId(), e.redactedBy());
        }

        private List<EventId> page(EventQuery query) {
            return ids(events.roomEvents(s.room.roomId(), 0, events.maxStream(), Direction.FORWARDS, 100, query));
        }

        private List<EventId> except(StoredEvent... excluded) {
            List<EventId> all = new ArrayList<>(ids(s.timeline));
            all.removeAll(ids(List.of(excluded)));
            return all;
        }

        @Test
        void eventReturnsExactlyWhatWasPersisted() {
            for (StoredEvent written : s.timeline) {
                if (written != s.spam) {
                    assertEquals(facts(written), facts(events.event(id(written)).orElseThrow()));
                }
            }
            StoredEvent hello = events.event(id(s.hello)).orElseThrow();
            assertEquals("ADEV", hello.senderDevice());
            assertEquals("t1", hello.txnId());
            assertEquals(s.lobby.stateGroup(), events.event(id(s.reply)).orElseThrow().stateGroup());
            assertEquals(id(s.lobby).value(), events.event(id(s.hall)).orElseThrow().prevStateId());
            assertEquals(null, events.event(id(s.lobby)).orElseThrow().prevStateId());
        }

        @Test
        void unknownEventIsEmpty() {
            assertEquals(Optional.empty(), events.event(EventId.of("$unknown")));
            assertEquals(List.of(), events.events(List.of(EventId.of("$unknown"))));
            assertEquals(List.of(), events.events(List.of()));
        }

        @Test
        void eventsKeepsTheRequestedOrderAndSkipsUnknownIds() {
            List<EventId> asked = List.of(id(s.hall), id(s.create), EventId.of("$missing"), id(s.hello));
            assertEquals(List.of(id(s.hall), id(s.create), id(s.hello)), ids(events.events(asked)));
            assertEquals(facts(s.hall), facts(events.events(List.of(id(s.hall))).get(0)));
        }

        @Test
        void forwardsPageIsAscendingAndOnlyThisRoom() {
            assertEquals(ids(s.timeline), page(EventQuery.ALL));
            assertEquals(List.of(), events.roomEvents(RoomId.of("!nowhere:example.org"), 0, events.maxStream(),
                    Direction.FORWARDS, 100, EventQuery.ALL));
        }

        @Test
        void forwardsExcludesFromAndIncludesTo() {
            List<StoredEvent> page = events.roomEvents(s.room.roomId(), s.hello.stream(), s.lobby.stream(),
                    Direction.FORWARDS, 100, EventQuery.ALL);
            assertEquals(List.of(id(s.bobJoin), id(s.spam), id(s.lobby)), ids(page));
            assertEquals(List.of(), events.roomEvents(s.room.roomId(), s.lobby.stream(), s.lobby.stream(),
                    Direction.FORWARDS, 100, EventQuery.ALL));
        }

        @Test
        void backwardsIncludesFromAndExcludesTo() {
            List<StoredEvent> page = events.roomEvents(s.room.roomId(), s.lobby.stream(), s.hello.stream(),
                    Direction.BACKWARDS, 100, EventQuery.ALL);
            assertEquals(List.of(id(s.lobby), id(s.spam), id(s.bobJoin)), ids(page));
        }

        @Test
        void limitTakesTheFirstEventsInPagingDirection() {
            RoomId room = s.room.roomId();
            long max = events.maxStream();
            assertEquals(List.of(id(s.create), id(s.aliceJoin), id(s.powerLevels)),
                    ids(events.roomEvents(room, 0, max, Direction.FORWARDS, 3, EventQuery.ALL)));
            assertEquals(List.of(id(s.hall), id(s.daveInvite)),
                    ids(events.roomEvents(room, max, 0, Direction.BACKWARDS, 2, EventQuery.ALL)));
            EventQuery members = new EventQuery(List.of("m.room.member"), List.of(), List.of(), List.of());
            assertEquals(List.of(id(s.daveInvite), id(s.bobLeave)),
                    ids(events.roomEvents(room, max, 0, Direction.BACKWARDS, 2, members)));
        }

        @Test
        void zeroOrNegativeLimitReturnsNothing() {
            for (Direction direction : Direction.values()) {
                long from = direction == Direction.FORWARDS ? 0 : events.maxStream();
                long to = direction == Direction.FORWARDS ? events.maxStream() : 0;
                assertEquals(List.of(), events.roomEvents(s.room.roomId(), from, to, direction, 0, EventQuery.ALL));
                assertEquals(List.of(), events.roomEvents(s.room.roomId(), from, to, direction, -1, EventQuery.ALL));
            }
        }

        @Test
        void typesAndNotTypesMatchExactly() {
            assertEquals(List.of(id(s.hello), id(s.spam), id(s.reply)), page(types("m.room.message")));
            assertEquals(List.of(id(s.aliceJoin), id(s.bobJoin), id(s.bobLeave), id(s.daveInvite)),
                    page(types("m.room.member")));
            assertEquals(List.of(id(s.hello), id(s.spam), id(s.lobby), id(s.reply), id(s.hall)),
                    page(types("m.room.message", "m.room.name")));
            assertEquals(except(s.hello, s.spam, s.reply, s.aliceJoin, s.bobJoin, s.bobLeave, s.daveInvite),
                    page(notTypes("m.room.message", "m.room.member")));
            assertEquals(List.of(), page(types("m.room")));
        }

        @Test
        void typeWildcards() {
            assertEquals(List.of(id(s.lobby), id(s.hall)), page(types("m.room.n*")));
            assertEquals(ids(s.timeline), page(types("*")));
            assertEquals(List.of(), page(notTypes("*")));
            assertEquals(List.of(id(s.percentType), id(s.lookalikeType)), page(types("org.*")));
            assertEquals(List.of(id(s.percentType), id(s.lookalikeType)), page(types("*off")));
            assertEquals(except(s.percentType, s.lookalikeType), page(notTypes("org.example.*")));
        }

        @Test
        void wildcardsTreatOtherPatternCharactersLiterally() {
            assertEquals(List.of(id(s.percentType)), page(types("org.example.50%_*")));
            assertEquals(List.of(id(s.percentType)), page(types("org.example.50%_off")));
            assertEquals(List.of(), page(types("m.room_*")));
            assertEquals(List.of(), page(types("org.example.50%_of?*")));
            assertEquals(List.of(), page(types("org.example.50[%]_*")));
            assertEquals(List.of(), page(types("org.example.50\\%_*")));
        }

        @Test
        void wildcardsAreCaseSensitiveLikeExactMatches() {
            assertEquals(List.of(), page(types("M.ROOM.MESSAGE")));
            assertEquals(List.of(), page(types("M.ROOM.*")));
            assertEquals(List.of(), page(senders("@BOB*")));
            assertEquals(ids(s.timeline), page(notTypes("M.*")));
        }

        @Test
        void sendersAndNotSenders() {
            List<EventId> bobs = List.of(id(s.bobJoin), id(s.spam), id(s.redaction), id(s.bobLeave));
            assertEquals(bobs, page(senders(s.bob.value())));
            assertEquals(bobs, page(senders("@bob*")));
            assertEquals(bobs, page(new EventQuery(List.of(), List.of(), List.of(), List.of("@alice*"))));
            assertEquals(except(s.bobJoin, s.spam, s.redaction, s.bobLeave),
                    page(new EventQuery(List.of(), List.of(), List.of(), List.of(s.bob.value()))));
            assertEquals(List.of(id(s.hello), id(s.reply)),
                    page(new EventQuery(List.of("m.room.message"), List.of(), List.of(s.alice.value()), List.of())));
            assertEquals(List.of(id(s.spam)),
                    page(new EventQuery(List.of("m.room.message"), List.of(), List.of(), List.of(s.alice.value()))));
        }

        @Test
        void eventForTransactionIsPerUserDeviceAndTxnId() {
            assertEquals(Optional.of(id(s.hello)), events.eventForTransaction(s.alice, "ADEV", "t1"));
            assertEquals(Optional.of(id(s.spam)), events.eventForTransaction(s.bob, "BDEV", "t1"));
            assertEquals(Optional.empty(), events.eventForTransaction(s.alice, "BDEV", "t1"));
            assertEquals(Optional.empty(), events.eventForTransaction(s.bob, "ADEV", "t1"));
            assertEquals(Optional.empty(), events.eventForTransaction(s.alice, "ADEV", "t2"));
        }

        @Test
        void redactionReplacesTheStoredPduWithItsRedactedForm() {
            StoredEvent spam = events.event(id(s.spam)).orElseThrow();
            assertEquals(s.spam.pdu().redacted().canonicalJson(), spam.pdu().canonicalJson());
            assertEquals("{}", spam.pdu().content().toString());
            assertEquals(id(s.spam), spam.pdu().eventId());
            assertEquals(id(s.redaction).value(), spam.redactedBy());
            assertEquals(List.of(s.spam.stream(), "BDEV", "t1"), List.of(spam.stream(), spam.senderDevice(), spam.txnId()));
            StoredEvent paged = events.roomEvents(s.room.roomId(), s.spam.stream() - 1, s.spam.stream(),
                    Direction.FORWARDS, 1, EventQuery.ALL).get(0);
            assertEquals(facts(spam), facts(paged));
            assertEquals(id(s.spam), events.event(id(s.redaction)).orElseThrow().pdu().redacts());
            assertEquals(null, events.event(id(s.redaction)).orElseThrow().redactedBy());
        }

        @Test
        void maxStreamAndMaxStateGroupCoverEveryRoom() {
            assertEquals(s.other.lastStream(), events.maxStream());
            long groups = java.util.stream.Stream.of(s.room, s.other)
                    .flatMap(r -> r.stateByGroup().keySet().stream()).mapToLong(Long::longValue).max().orElseThrow();
            assertEquals(groups, events.maxStateGroup());
            try (Backend.OpenDatabase empty = backend().open()) {
                EventStore fresh = new JdbcEventStore(empty.db());
                assertEquals(0L, fresh.maxStream());
                assertEquals(0L, fresh.maxStateGroup());
            }
        }

        private static EventQuery types(String... types) {
            return new EventQuery(List.of(types), List.of(), List.of(), List.of());
        }

        private static EventQuery notTypes(String... types) {
            return new EventQuery(List.of(), List.of(types), List.of(), List.of());
        }

        private static EventQuery senders(String... senders) {
            return new EventQuery(List.of(), List.of(), List.of(senders), List.of());
        }
    }
}
