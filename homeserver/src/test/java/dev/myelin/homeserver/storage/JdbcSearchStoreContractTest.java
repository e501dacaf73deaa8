package dev.myelin.homeserver.storage;

import static dev.myelin.homeserver.storage.SampleRoom.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.EventStore.EventQuery;
import dev.myelin.homeserver.storage.SearchStore.Hit;
import dev.myelin.homeserver.storage.SearchStore.Key;
import dev.myelin.homeserver.storage.SearchStore.Order;
import dev.myelin.homeserver.storage.SearchStore.Page;
import dev.myelin.homeserver.storage.SearchStore.Query;
import dev.myelin.homeserver.storage.SearchStore.RoomScope;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcSearchStore} against the {@link SearchStore} contract, on both databases. */
class JdbcSearchStoreContractTest {

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
        private static final Set<Key> ALL_KEYS = EnumSet.allOf(Key.class);
        private EventStore events;
        private SearchStore search;
        private UserId alice;
        private UserId bob;
        private RoomHistory room;
        private RoomHistory other;
        private StoredEvent cats;
        private StoredEvent catAndDog;
        private StoredEvent manyCats;
        private StoredEvent bobCat;
        private StoredEvent secret;
        private StoredEvent name;
        private StoredEvent topic;
        private StoredEvent otherCat;
        private StoredEvent notice;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            events = new JdbcEventStore(db);
            search = new JdbcSearchStore(db);
            alice = uniqueUser("alice");
            bob = uniqueUser("bob");
            room = RoomHistory.create(events, unique("search"), alice, 4);
            other = RoomHistory.create(events, unique("elsewhere"), bob, 4);
            room.membership(bob, bob, "join");
            cats = room.message(alice, "I like cats");
            catAndDog = room.message(alice, "a cat and a dog");
            manyCats = room.message(alice, "cat cat cat, cats everywhere: cat");
            bobCat = room.message(bob, "my cat sleeps");
            secret = room.message(bob, "the cat password is hunter2");
            room.redact(bob, id(secret));
            name = room.state(alice, "m.room.name", "", "{'name':'Cat lovers'}");
            topic = room.state(alice, "m.room.topic", "", "{'topic':'all about cats'}");
            notice = room.event(alice, "org.example.custom", "{'body':'cat in a custom event'}");
            otherCat = other.message(bob, "cat from elsewhere");
        }

        private Query query(String term, Order order) {
            return new Query(term, ALL_KEYS, List.of(new RoomScope(room.roomId(), Long.MAX_VALUE)), EventQuery.ALL,
                    order, 10, Long.MAX_VALUE, 0);
        }

        private static List<EventId> ids(Page page) {
            return page.hits().stream().map(Hit::eventId).toList();
        }

        @Test
        void recentOrderIsNewestFirstWithStemming() {
            Page page = search.search(query("cats", Order.RECENT));
            assertEquals(List.of(id(topic), id(name), id(bobCat), id(manyCats), id(catAndDog), id(cats)), ids(page));
            assertEquals(6, page.count());
            assertEquals(room.roomId(), page.hits().get(0).roomId());
            assertEquals(topic.stream(), page.hits().get(0).stream());
        }

        @Test
        void rankOrderPutsTheBestMatchFirst() {
            Page page = search.search(query("cat", Order.RANK));
            assertEquals(id(manyCats), ids(page).get(0));
            assertEquals(6, page.hits().size());
            for (int i = 1; i < page.hits().size(); i++) {
                assertTrue(page.hits().get(i - 1).rank() >= page.hits().get(i).rank());
            }
        }

        @Test
        void everyWordMustMatch() {
            assertEquals(List.of(id(catAndDog)), ids(search.search(query("dog CAT", Order.RECENT))));
            assertEquals(List.of(), ids(search.search(query("cat giraffe", Order.RECENT))));
        }

        @Test
        void redactedAndUnsearchableEventsNeverMatch() {
            assertEquals(List.of(), ids(search.search(query("hunter2", Order.RECENT))));
            assertEquals(List.of(), ids(search.search(query("custom", Order.RECENT))));
            assertTrue(!ids(search.search(query("cat", Order.RECENT))).contains(id(notice)));
        }

        @Test
        void keysNarrowWhereToLook() {
            Query names = new Query("cat", EnumSet.of(Key.NAME), query("cat", Order.RECENT).rooms(), EventQuery.ALL,
                    Order.RECENT, 10, Long.MAX_VALUE, 0);
            assertEquals(List.of(id(name)), ids(search.search(names)));
            Query topicsAndBodies = new Query("cat", EnumSet.of(Key.TOPIC, Key.BODY), names.rooms(), EventQuery.ALL,
                    Order.RECENT, 10, Long.MAX_VALUE, 0);
            assertEquals(List.of(id(topic), id(bobCat), id(manyCats), id(catAndDog), id(cats)),
                    ids(search.search(topicsAndBodies)));
        }

        @Test
        void onlyRoomsInScopeUpToTheirLimit() {
            List<RoomScope> both = List.of(new RoomScope(room.roomId(), catAndDog.stream()),
                    new RoomScope(other.roomId(), Long.MAX_VALUE));
            Query q = new Query("cat", ALL_KEYS, both, EventQuery.ALL, Order.RECENT, 10, Long.MAX_VALUE, 0);
            assertEquals(List.of(id(otherCat), id(catAndDog), id(cats)), ids(search.search(q)));
            Query none = new Query("cat", ALL_KEYS, List.of(), EventQuery.ALL, Order.RECENT, 10, Long.MAX_VALUE, 0);
            assertEquals(new Page(List.of(), 0), search.search(none));
        }

        @Test
        void filtersBySenderAndType() {
            EventQuery fromBob = new EventQuery(List.of(), List.of(), List.of(bob.value()), List.of());
            Query q = new Query("cat", ALL_KEYS, query("cat", Order.RECENT).rooms(), fromBob, Order.RECENT, 10,
                    Long.MAX_VALUE, 0);
            assertEquals(List.of(id(bobCat)), ids(search.search(q)));
            EventQuery noState = new EventQuery(List.of(), List.of("m.room.name", "m.room.topic"), List.of(),
                    List.of(bob.value()));
            q = new Query("cat", ALL_KEYS, q.rooms(), noState, Order.RECENT, 10, Long.MAX_VALUE, 0);
            assertEquals(List.of(id(manyCats), id(catAndDog), id(cats)), ids(search.search(q)));
        }

        @Test
        void pagesByPositionWhenRecentAndByOffsetWhenRanked() {
            Query first = new Query("cat", ALL_KEYS, query("cat", Order.RECENT).rooms(), EventQuery.ALL, Order.RECENT,
                    2, Long.MAX_VALUE, 0);
            assertEquals(List.of(id(topic), id(name)), ids(search.search(first)));
            Query next = new Query("cat", ALL_KEYS, first.rooms(), EventQuery.ALL, Order.RECENT, 2, name.stream(), 0);
            assertEquals(List.of(id(bobCat), id(manyCats)), ids(search.search(next)));

            List<EventId> ranked = ids(search.search(query("cat", Order.RANK)));
            Query secondPage = new Query("cat", ALL_KEYS, first.rooms(), EventQuery.ALL, Order.RANK, 2,
                    Long.MAX_VALUE, 2);
            assertEquals(ranked.subList(2, 4), ids(search.search(secondPage)));
        }

        @Test
        void termsWithoutWordsOrWithQuerySyntaxFindNothingAndNeverFail() {
            assertEquals(new Page(List.of(), 0), search.search(query("  !!! ", Order.RANK)));
            assertEquals(List.of(id(catAndDog)), ids(search.search(query("\"dog\" * cat:", Order.RANK))));
            assertEquals(List.of(), ids(search.search(query("NEAR(cat dog) AND {body}: -x ' ;", Order.RANK))));
        }
    }
}
