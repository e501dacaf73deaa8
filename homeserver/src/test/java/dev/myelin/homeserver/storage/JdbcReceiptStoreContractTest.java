package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.ReceiptStore.Receipt;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcReceiptStore} against the {@link ReceiptStore} contract, on both databases. */
class JdbcReceiptStoreContractTest {
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
        private ReceiptStore receipts;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            receipts = new JdbcReceiptStore(db);
        }

        private static RoomId room() {
            return RoomId.of("!" + unique("room") + ":example.org");
        }

        private static EventId event(String name) {
            return EventId.of("$" + unique(name));
        }

        @Test
        void aNewerReceiptOfTheSameTypeAndThreadReplacesTheOlder() {
            RoomId room = room();
            UserId alice = uniqueUser("alice");
            receipts.put(new Receipt(room, alice, "m.read", null, event("one"), 10, 1000, 1));
            Receipt newer = new Receipt(room, alice, "m.read", null, event("two"), 20, 2000, 2);
            receipts.put(newer);
            assertEquals(List.of(newer), receipts.inRoom(room));
        }

        @Test
        void typesThreadsAndUsersAreKeptApartAndOrderedByStream() {
            RoomId room = room();
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            EventId root = event("root");
            Receipt unthreaded = new Receipt(room, alice, "m.read", null, root, 5, 100, 11);
            Receipt main = new Receipt(room, alice, "m.read", "main", root, 5, 101, 12);
            Receipt thread = new Receipt(room, alice, "m.read", root.value(), event("reply"), 6, 102, 13);
            Receipt privately = new Receipt(room, alice, "m.read.private", null, root, 5, 103, 14);
            Receipt bobs = new Receipt(room, bob, "m.read", null, root, 5, 104, 15);
            for (Receipt r : List.of(bobs, thread, unthreaded, privately, main)) {
                receipts.put(r);
            }
            receipts.put(new Receipt(room(), alice, "m.read", null, root, 5, 105, 16));
            assertEquals(List.of(unthreaded, main, thread, privately, bobs), receipts.inRoom(room));
            assertEquals(List.of(), receipts.inRoom(room()));
        }

        @Test
        void maxStreamIdIsZeroWhenEmptyThenTheHighestUsed() {
            try (Backend.OpenDatabase empty = backend().open()) {
                ReceiptStore fresh = new JdbcReceiptStore(empty.db());
                assertEquals(0L, fresh.maxStreamId());
                fresh.put(new Receipt(room(), uniqueUser("carol"), "m.read", null, event("e"), 1, 1, 3_000_000_000L));
                fresh.put(new Receipt(room(), uniqueUser("dave"), "m.read", null, event("e"), 1, 1, 7));
                assertEquals(3_000_000_000L, fresh.maxStreamId());
            }
        }
    }
}
