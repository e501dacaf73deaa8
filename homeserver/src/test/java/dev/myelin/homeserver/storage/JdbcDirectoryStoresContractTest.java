package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.RoomStateStore.AliasRow;
import dev.myelin.homeserver.storage.UserDirectoryStore.Entry;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The directory stores against their contracts, on both databases: room aliases
 * ({@link RoomStateStore}), published rooms ({@link RoomDirectoryStore}) and the user directory
 * index ({@link UserDirectoryStore}) with its visibility rules.
 */
class JdbcDirectoryStoresContractTest {

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

    /** Aliases and published rooms come back in code point order whatever the database's collation. */
    @Nested
    class PostgresEnglishCollation extends Contract {
        PostgresEnglishCollation() {
            super(Backend.POSTGRES_ENGLISH_COLLATION);
        }
    }

    abstract static class Contract extends StoreContract {
        private EventStore events;
        private RoomStateStore rooms;
        private RoomDirectoryStore directory;
        private UserDirectoryStore users;
        private AccountStore accounts;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            events = new JdbcEventStore(db);
            rooms = new JdbcRoomStateStore(db);
            directory = new JdbcRoomDirectoryStore(db);
            users = new JdbcUserDirectoryStore(db);
            accounts = new JdbcAccountStore(db);
        }

        private static RoomAlias alias(String name) {
            return RoomAlias.of("#" + unique(name) + ":example.org");
        }

        @Test
        void aliasesAreCreatedOnceListedPerRoomAndDeleted() {
            UserId alice = uniqueUser("alice");
            RoomId room = RoomId.of("!" + unique("room") + ":example.org");
            RoomAlias zebra = alias("zebra");
            RoomAlias apple = alias("Apple");
            assertTrue(rooms.createAlias(zebra, room, alice));
            assertTrue(rooms.createAlias(apple, room, alice));
            assertFalse(rooms.createAlias(zebra, RoomId.of("!other:example.org"), uniqueUser("bob")));

            assertEquals(Optional.of(new AliasRow(zebra, room, alice)), rooms.alias(zebra));
            assertEquals(List.of(apple, zebra), rooms.aliasesOf(room));
            assertTrue(rooms.deleteAlias(zebra));
            assertFalse(rooms.deleteAlias(zebra));
            assertEquals(Optional.empty(), rooms.alias(zebra));
            assertEquals(Optional.empty(), rooms.roomForAlias(zebra));
            assertEquals(List.of(apple), rooms.aliasesOf(room));
        }

        @Test
        void roomsArePublishedAndWithdrawnIdempotently() {
            RoomId room = RoomId.of("!" + unique("pub") + ":example.org");
            RoomId other = RoomId.of("!" + unique("Pub") + ":example.org");
            assertFalse(directory.isPublished(room));
            directory.setPublished(room, true);
            directory.setPublished(room, true);
            directory.setPublished(other, true);
            assertTrue(directory.isPublished(room));
            List<RoomId> published = directory.publishedRooms();
            assertTrue(published.containsAll(List.of(room, other)));
            assertEquals(published.stream().map(RoomId::value).sorted().toList(),
                    published.stream().map(RoomId::value).toList(), "code point order");
            directory.setPublished(room, false);
            directory.setPublished(room, false);
            assertFalse(directory.isPublished(room));
            assertFalse(directory.publishedRooms().contains(room));
        }

        @Test
        void searchFindsWordPrefixesOfUsersSharingARoom() {
            String word = unique("zq").replace("-", "");
            UserId alice = account("alice", "Alice");
            UserId bob = account("bob", "Bóbby " + word.toUpperCase() + "-Tables");
            UserId stranger = account("stranger", "Stranger " + word);
            RoomHistory room = RoomHistory.create(events, unique("shared"), alice, 8);
            room.membership(bob, bob, "join");
            RoomHistory.create(events, unique("alone"), stranger, 8);

            assertEquals(List.of(entry(bob)), users.search(alice, word, 10));
            assertEquals(List.of(entry(bob)), users.search(alice, "BÓBBY " + word.substring(0, 3), 10));
            assertEquals(List.of(entry(bob)), users.search(alice, "tab", 10));
            assertEquals(List.of(entry(bob)), users.search(alice, bob.localpart(), 10));
            assertEquals(List.of(), users.search(alice, word.substring(1), 10));
            assertEquals(List.of(), users.search(alice, "%", 10));
            assertEquals(List.of(), users.search(alice, "", 10));
        }

        @Test
        void publicJoinRulesMakeMembersVisibleToEveryone() {
            String word = unique("pj").replace("-", "");
            UserId searcher = account("searcher", null);
            UserId carol = account("carol", "Carol " + word);
            UserId dan = account("dan", "Dan " + word);
            RoomHistory room = RoomHistory.create(events, unique("public"), carol, 8);
            room.membership(dan, dan, "invite");
            assertEquals(List.of(), users.search(searcher, word, 10));
            room.state(carol, "m.room.join_rules", "", "{'join_rule':'public'}");
            assertEquals(List.of(entry(carol)), users.search(searcher, word, 10), "invited users are not listed");
            room.membership(dan, dan, "join");
            assertEquals(2, users.search(searcher, word, 10).size());
            assertEquals(1, users.search(searcher, word, 1).size());
            room.state(carol, "m.room.join_rules", "", "{'join_rule':'knock'}");
            assertEquals(List.of(), users.search(searcher, word, 10));
        }

        @Test
        void profileChangesReindexAndMissingUsersAreIndexed() {
            String before = unique("old").replace("-", "");
            String after = unique("new").replace("-", "");
            UserId alice = account("alice", before);
            RoomHistory.create(events, unique("solo"), alice, 8);
            assertEquals(List.of(alice), ids(users.search(alice, before, 10)));
            accounts.setDisplayname(alice, after);
            assertEquals(List.of(), users.search(alice, before, 10));
            assertEquals(List.of(alice), ids(users.search(alice, after, 10)));

            db.execute().dml("DELETE FROM user_directory WHERE user_id = ?", alice.value());
            assertEquals(List.of(), users.search(alice, after, 10));
            assertTrue(users.indexMissing() >= 1);
            assertEquals(List.of(alice), ids(users.search(alice, after, 10)));
            assertEquals(0, users.indexMissing());
        }

        private UserId account(String name, String displayname) {
            UserId user = uniqueUser(name);
            assertTrue(accounts.createUser(user, null, 1L, displayname));
            return user;
        }

        private Entry entry(UserId user) {
            return new Entry(user, accounts.profile(user).orElseThrow().displayname(), null);
        }

        private static List<UserId> ids(List<Entry> entries) {
            return entries.stream().map(Entry::userId).toList();
        }
    }
}
