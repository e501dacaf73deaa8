package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.NotificationStore.EventNotification;
import dev.myelin.homeserver.storage.NotificationStore.ReadPosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcNotificationStore} against the {@link NotificationStore} contract, on both databases. */
class JdbcNotificationStoreContractTest {
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
        private static final AtomicLong STREAM = new AtomicLong(1000);
        private static final String NOTIFY = "[\"notify\"]";
        private static final String HIGHLIGHT = "[\"notify\",{\"set_tweak\":\"highlight\"}]";
        private NotificationStore store;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            store = new JdbcNotificationStore(db);
        }

        private static RoomId room() {
            return RoomId.of("!" + unique("room") + ":example.org");
        }

        private static EventNotification notification(RoomId room, UserId sender, String thread,
                                                      Map<UserId, Integer> users) {
            long stream = STREAM.incrementAndGet();
            return new EventNotification(stream, room, EventId.of("$e" + stream), sender, thread, 1_700_000_000_000L + stream,
                    List.of(NOTIFY, HIGHLIGHT), users);
        }

        @Test
        void notificationsRoundTripPerRoomInStreamOrder() {
            RoomId room = room();
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            UserId carol = uniqueUser("carol");
            EventNotification first = notification(room, alice, null, Map.of(bob, 0, carol, 1));
            EventNotification second = notification(room, bob, "$root", Map.of(alice, 1));
            EventNotification elsewhere = notification(room(), alice, null, Map.of(bob, 0));
            store.add(List.of(first, second, elsewhere));
            assertEquals(List.of(first, second), store.inRoomAfter(room, 0));
            assertEquals(List.of(second), store.inRoomAfter(room, first.stream()));
            assertEquals(List.of(), store.inRoomAfter(room, second.stream()));
        }

        @Test
        void manyNotificationsGoInOneCall() {
            RoomId room = room();
            UserId sender = uniqueUser("sender");
            List<EventNotification> batch = new ArrayList<>();
            for (int i = 0; i < 450; i++) {
                batch.add(notification(room, sender, null, Map.of(uniqueUser("member"), 0)));
            }
            store.add(batch);
            assertEquals(batch, store.inRoomAfter(room, 0));
        }

        @Test
        void latestBeforeIsNewestFirstOverTheGivenRooms() {
            RoomId one = room();
            RoomId two = room();
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            EventNotification a = notification(one, alice, null, Map.of(bob, 0));
            EventNotification b = notification(two, alice, null, Map.of(bob, 0));
            EventNotification c = notification(room(), alice, null, Map.of(bob, 0));
            EventNotification d = notification(one, alice, null, Map.of(bob, 1));
            store.add(List.of(a, b, c, d));
            assertEquals(List.of(d, b, a), store.latestBefore(Set.of(one, two), Long.MAX_VALUE, 10));
            assertEquals(List.of(b), store.latestBefore(Set.of(one, two), d.stream(), 1));
            assertEquals(List.of(), store.latestBefore(Set.of(), Long.MAX_VALUE, 10));
        }

        @Test
        void readPositionsOnlyMoveForward() {
            RoomId room = room();
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            store.read(alice, room, "", 10);
            store.read(alice, room, "", 5);
            store.read(alice, room, "$root", 7);
            store.read(bob, room, "main", 3);
            store.read(bob, room(), "", 99);
            assertEquals(Set.of(new ReadPosition(alice, "", 10), new ReadPosition(alice, "$root", 7),
                    new ReadPosition(bob, "main", 3)), Set.copyOf(store.readPositions(room)));
            store.read(alice, room, "", 12);
            assertEquals(Set.of(new ReadPosition(alice, "", 12), new ReadPosition(alice, "$root", 7),
                    new ReadPosition(bob, "main", 3)), Set.copyOf(store.readPositions(room)));
        }
    }
}
