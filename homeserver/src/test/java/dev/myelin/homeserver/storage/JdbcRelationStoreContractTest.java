package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.EventStore.Direction;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link JdbcRelationStore} against the {@link RelationStore} contract, on both databases, with
 * relations written the real way: by {@link JdbcEventStore#persist} of events that relate.
 */
class JdbcRelationStoreContractTest {
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
        private RelationStore relations;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            events = new JdbcEventStore(db);
            relations = new JdbcRelationStore(db);
        }

        private static String relatesTo(String relType, StoredEvent parent, String extra) {
            return "{'m.relates_to':{'rel_type':'" + relType + "','event_id':'" + id(parent).value() + "'" + extra + "}}";
        }

        private static EventId id(StoredEvent e) {
            return e.pdu().eventId();
        }

        private static List<String> ids(List<Relation> page) {
            return page.stream().map(Relation::eventId).toList();
        }

        private static List<String> ids(StoredEvent... stored) {
            return java.util.Arrays.stream(stored).map(e -> id(e).value()).toList();
        }

        @Test
        void persistedRelationsArePagedBothWaysAndFiltered() {
            UserId alice = uniqueUser("alice");
            RoomHistory room = RoomHistory.create(events, unique("room"), alice, 64);
            StoredEvent root = room.message(alice, "root");
            StoredEvent reaction = room.event(alice, "m.reaction", relatesTo("m.annotation", root, ",'key':'k'"));
            StoredEvent reply = room.event(alice, "m.room.message", relatesTo("m.thread", root, ""));
            StoredEvent custom = room.event(alice, "org.example", relatesTo("org.example.rel", root, ""));
            room.message(alice, "unrelated");
            long max = events.maxStream();
            Set<EventId> parent = Set.of(id(root));

            assertEquals(ids(custom, reply, reaction), ids(relations.children(room.roomId(), parent, null, null, max, 0,
                    Direction.BACKWARDS, 10)));
            assertEquals(ids(reaction, reply), ids(relations.children(room.roomId(), parent, null, null, 0, max,
                    Direction.FORWARDS, 2)));
            assertEquals(ids(reply), ids(relations.children(room.roomId(), parent, "m.thread", null, max, 0,
                    Direction.BACKWARDS, 10)));
            assertEquals(ids(reaction), ids(relations.children(room.roomId(), parent, null, "m.reaction", max, 0,
                    Direction.BACKWARDS, 10)));
            assertEquals(ids(reaction), ids(relations.children(room.roomId(), parent, null, null, reply.stream() - 1, 0,
                    Direction.BACKWARDS, 10)));
            assertEquals(ids(custom), ids(relations.children(room.roomId(), parent, null, null, reply.stream(), max,
                    Direction.FORWARDS, 10)));
            assertEquals(List.of(), relations.children(room.roomId(), Set.of(id(reply)), null, null, max, 0,
                    Direction.BACKWARDS, 10));

            Relation stored = relations.children(room.roomId(), parent, "m.annotation", null, max, 0,
                    Direction.BACKWARDS, 1).get(0);
            assertEquals(new Relation(id(reaction).value(), id(root).value(), "m.annotation", "k",
                    room.roomId().value(), alice.value(), "m.reaction", reaction.stream()), stored);
        }

        @Test
        void onlyBundledTypesAreBundled() {
            UserId alice = uniqueUser("alice");
            RoomHistory room = RoomHistory.create(events, unique("room"), alice, 64);
            StoredEvent root = room.message(alice, "root");
            StoredEvent other = room.message(alice, "other");
            room.event(alice, "m.reaction", relatesTo("m.annotation", root, ",'key':'k'"));
            StoredEvent edit = room.event(alice, "m.room.message", relatesTo("m.replace", root, ""));
            StoredEvent reference = room.event(alice, "m.room.message", relatesTo("m.reference", other, ""));
            StoredEvent reply = room.event(alice, "m.room.message", relatesTo("m.thread", root, ""));
            room.event(alice, "m.room.message", relatesTo("org.example.rel", root, ""));

            assertEquals(ids(edit, reference, reply), ids(relations.bundled(List.of(id(root), id(other)))));
            assertTrue(relations.parentsWithBundledRelations().containsAll(Set.of(id(root), id(other))));
            assertFalse(relations.parentsWithBundledRelations().contains(id(reply)));
            assertEquals(List.of(), relations.bundled(List.of()));
        }

        @Test
        void annotationsAreFoundBySenderTypeAndKey() {
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            RoomHistory room = RoomHistory.create(events, unique("room"), alice, 64);
            room.membership(bob, bob, "join");
            StoredEvent root = room.message(alice, "root");
            room.event(bob, "m.reaction", relatesTo("m.annotation", root, ",'key':'👍'"));
            assertTrue(relations.hasAnnotation(id(root), "m.reaction", "👍", bob));
            assertFalse(relations.hasAnnotation(id(root), "m.reaction", "👍", alice));
            assertFalse(relations.hasAnnotation(id(root), "m.reaction", "👎", bob));
            assertFalse(relations.hasAnnotation(id(root), "m.other", "👍", bob));
        }

        @Test
        void redactingARelatingEventForgetsItsRelation() {
            UserId alice = uniqueUser("alice");
            RoomHistory room = RoomHistory.create(events, unique("room"), alice, 64);
            StoredEvent root = room.message(alice, "root");
            StoredEvent reaction = room.event(alice, "m.reaction", relatesTo("m.annotation", root, ",'key':'k'"));
            StoredEvent edit = room.event(alice, "m.room.message", relatesTo("m.replace", root, ""));
            room.redact(alice, id(reaction));
            room.redact(alice, id(root));
            assertFalse(relations.hasAnnotation(id(root), "m.reaction", "k", alice));
            assertEquals(ids(edit), ids(relations.children(room.roomId(), Set.of(id(root)), null, null,
                    events.maxStream(), 0, Direction.BACKWARDS, 10)));
        }

        @Test
        void threadsAreOrderedByTheirLatestReplyAndFilteredByParticipant() {
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            RoomHistory room = RoomHistory.create(events, unique("room"), alice, 64);
            room.membership(bob, bob, "join");
            StoredEvent first = room.message(alice, "first");
            StoredEvent second = room.message(bob, "second");
            room.event(alice, "m.room.message", relatesTo("m.thread", first, ""));
            StoredEvent inSecond = room.event(alice, "m.room.message", relatesTo("m.thread", second, ""));
            StoredEvent latest = room.event(alice, "m.room.message", relatesTo("m.thread", first, ""));
            long max = events.maxStream();

            assertEquals(List.of(new RelationStore.ThreadRoot(id(first), latest.stream()),
                    new RelationStore.ThreadRoot(id(second), inSecond.stream())),
                    relations.threads(room.roomId(), max, null, 10));
            assertEquals(List.of(new RelationStore.ThreadRoot(id(second), inSecond.stream())),
                    relations.threads(room.roomId(), latest.stream() - 1, null, 10), "first's latest is later");
            assertEquals(List.of(id(second)), relations.threads(room.roomId(), max, bob, 10).stream()
                    .map(RelationStore.ThreadRoot::root).toList(), "bob started the second thread");
            assertEquals(2, relations.threads(room.roomId(), max, alice, 10).size());
            assertEquals(1, relations.threads(room.roomId(), max, null, 1).size());
            assertEquals(List.of(), relations.threads(room.roomId(), max, uniqueUser("carol"), 10));
        }

        @Test
        void malformedRelationsAreNotRecorded() {
            UserId alice = uniqueUser("alice");
            RoomHistory room = RoomHistory.create(events, unique("room"), alice, 64);
            StoredEvent root = room.message(alice, "root");
            room.event(alice, "m.room.message", "{'m.relates_to':{'m.in_reply_to':{'event_id':'" + id(root).value() + "'}}}");
            room.event(alice, "m.room.message", "{'m.relates_to':{'rel_type':'m.thread','event_id':'not an id'}}");
            room.event(alice, "m.room.message", "{'m.relates_to':{'rel_type':'m.thread'}}");
            room.event(alice, "m.room.message", "{'m.relates_to':'m.thread'}");
            room.event(alice, "m.room.message", "{'m.relates_to':{'rel_type':5,'event_id':'" + id(root).value() + "'}}");
            assertEquals(List.of(), relations.children(room.roomId(), Set.of(id(root)), null, null,
                    events.maxStream(), 0, Direction.BACKWARDS, 10));
            assertNull(Relation.of(root.pdu(), root.stream()));
        }
    }
}
