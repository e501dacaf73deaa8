package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.AccountDataStore.AccountData;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcAccountDataStore} against the {@link AccountDataStore} contract, on both databases. */
class JdbcAccountDataStoreContractTest {
    private static final String DIRECT = "m.direct";
    private static final String TAGS = "m.tag";

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
        private AccountDataStore data;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            data = new JdbcAccountDataStore(db);
        }

        private static RoomId room() {
            return RoomId.of("!" + unique("room") + ":example.org");
        }

        @Test
        void globalAndPerRoomDataAreSeparate() {
            UserId alice = uniqueUser("alice");
            RoomId room = room();
            data.put(alice, null, TAGS, "{\"global\":true}", 1);
            data.put(alice, room, TAGS, "{\"tags\":{\"u.work\":{}}}", 2);
            assertEquals(Optional.of("{\"global\":true}"), data.get(alice, null, TAGS));
            assertEquals(Optional.of("{\"tags\":{\"u.work\":{}}}"), data.get(alice, room, TAGS));
            assertEquals(Optional.empty(), data.get(alice, room(), TAGS));
            assertEquals(Optional.empty(), data.get(alice, null, DIRECT));
            assertEquals(Optional.empty(), data.get(uniqueUser("other"), null, TAGS));
        }

        @Test
        void overwriteReplacesContentAndMovesTheStreamId() {
            UserId bob = uniqueUser("bob");
            data.put(bob, null, DIRECT, "{\"v\":1}", 5);
            data.put(bob, null, "m.other", "{}", 6);
            data.put(bob, null, DIRECT, "{\"v\":2}", 9);
            assertEquals(Optional.of("{\"v\":2}"), data.get(bob, null, DIRECT));
            assertEquals(List.of(new AccountData(null, "m.other", "{}", 6), new AccountData(null, DIRECT, "{\"v\":2}", 9)),
                    data.changedSince(bob, 0));
            assertEquals(List.of(new AccountData(null, DIRECT, "{\"v\":2}", 9)), data.changedSince(bob, 6));
            assertEquals(List.of(), data.changedSince(bob, 9));
        }

        @Test
        void changedSinceIsOrderedByStreamAndExcludesTheLowerBound() {
            UserId carol = uniqueUser("carol");
            RoomId room = room();
            data.put(carol, null, "c.three", "{\"n\":3}", 30);
            data.put(carol, room, "c.one", "{\"n\":1}", 10);
            data.put(carol, null, "c.two", "{\"n\":2}", 20);
            data.put(uniqueUser("other"), null, "c.other", "{}", 15);
            AccountData one = new AccountData(room, "c.one", "{\"n\":1}", 10);
            AccountData two = new AccountData(null, "c.two", "{\"n\":2}", 20);
            AccountData three = new AccountData(null, "c.three", "{\"n\":3}", 30);
            assertEquals(List.of(one, two, three), data.changedSince(carol, 0));
            assertEquals(List.of(one, two, three), data.changedSince(carol, 9));
            assertEquals(List.of(two, three), data.changedSince(carol, 10));
            assertEquals(List.of(three), data.changedSince(carol, 29));
            assertEquals(List.of(), data.changedSince(carol, 30));
            assertEquals(List.of(), data.changedSince(uniqueUser("nobody"), 0));
        }

        @Test
        void sameTypeInTwoRoomsIsTwoEntries() {
            UserId dave = uniqueUser("dave");
            RoomId first = room();
            RoomId second = room();
            data.put(dave, first, TAGS, "{\"r\":1}", 3);
            data.put(dave, second, TAGS, "{\"r\":2}", 4);
            data.put(dave, first, TAGS, "{\"r\":3}", 7);
            assertEquals(List.of(new AccountData(second, TAGS, "{\"r\":2}", 4), new AccountData(first, TAGS, "{\"r\":3}", 7)),
                    data.changedSince(dave, 0));
        }

        @Test
        void maxStreamIdIsZeroWhenEmptyThenTheHighestUsed() {
            try (Backend.OpenDatabase empty = backend().open()) {
                AccountDataStore fresh = new JdbcAccountDataStore(empty.db());
                assertEquals(0L, fresh.maxStreamId());
                UserId erin = uniqueUser("erin");
                fresh.put(erin, null, DIRECT, "{}", 12);
                fresh.put(uniqueUser("frank"), room(), TAGS, "{}", 40);
                fresh.put(erin, null, "m.later", "{}", 3_000_000_000L);
                assertEquals(3_000_000_000L, fresh.maxStreamId());
                fresh.put(erin, null, "m.later", "{\"again\":1}", 3_000_000_001L);
                assertEquals(3_000_000_001L, fresh.maxStreamId());
            }
        }
    }
}
