package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.PusherStore.Pusher;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcPusherStore} against the {@link PusherStore} contract, on both databases. */
class JdbcPusherStoreContractTest {
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
        private PusherStore pushers;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            pushers = new JdbcPusherStore(db);
        }

        private static Pusher pusher(UserId user, String appId, String pushkey, String deviceId, long ts) {
            return new Pusher(user, appId, pushkey, "http", "App " + appId, "Phone", null, "en",
                    "{\"url\":\"https://push.example.org/_matrix/push/v1/notify\",\"format\":\"event_id_only\"}",
                    deviceId, ts);
        }

        @Test
        void setStoresEveryFieldAndListsInAppIdThenPushkeyOrder() {
            UserId alice = uniqueUser("alice");
            Pusher b = pusher(alice, "b.app", "key", "DEV", 2000);
            Pusher a2 = pusher(alice, "a.app", "key2", "DEV", 3000);
            Pusher a1 = new Pusher(alice, "a.app", "Key1", "http", "Ä app", "Alice's phone", "tag", "en-US",
                    "{\"url\":\"http://127.0.0.1/_matrix/push/v1/notify\",\"custom\":[1,2]}", null, 1000);
            pushers.set(b, false);
            pushers.set(a2, false);
            pushers.set(a1, false);
            assertEquals(List.of(a1, a2, b), pushers.pushers(alice));
        }

        @Test
        void settingTheSameAppIdAndPushkeyAgainReplacesThePusher() {
            UserId alice = uniqueUser("alice");
            pushers.set(pusher(alice, "app", "key", "DEV1", 1000), false);
            Pusher updated = new Pusher(alice, "app", "key", "http", "New name", "Tablet", "t", "de",
                    "{\"url\":\"https://other.example.org/_matrix/push/v1/notify\"}", "DEV2", 5000);
            assertEquals(List.of(), pushers.set(updated, false));
            assertEquals(List.of(updated), pushers.pushers(alice));
        }

        @Test
        void withoutAppendOtherUsersPushersOfTheSameKeyAreRemoved() {
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            UserId carol = uniqueUser("carol");
            String key = unique("key");
            pushers.set(pusher(alice, "app", key, "A", 1), false);
            pushers.set(pusher(alice, "other.app", key, "A", 1), false);
            assertEquals(List.of(), pushers.set(pusher(bob, "app", key, "B", 2), true));
            assertEquals(1, pushers.pushers(alice).stream().filter(p -> p.appId().equals("app")).count());

            assertEquals(List.of(alice, bob).stream().sorted(java.util.Comparator.comparing(UserId::value)).toList(),
                    pushers.set(pusher(carol, "app", key, "C", 3), false).stream()
                            .sorted(java.util.Comparator.comparing(UserId::value)).toList());
            assertEquals(List.of("other.app"), pushers.pushers(alice).stream().map(Pusher::appId).toList());
            assertEquals(List.of(), pushers.pushers(bob));
            assertEquals(1, pushers.pushers(carol).size());
        }

        @Test
        void deleteRemovesOnePusher() {
            UserId alice = uniqueUser("alice");
            pushers.set(pusher(alice, "app", "one", "DEV", 1), false);
            pushers.set(pusher(alice, "app", "two", "DEV", 1), false);
            assertTrue(pushers.delete(alice, "app", "one"));
            assertFalse(pushers.delete(alice, "app", "one"));
            assertFalse(pushers.delete(uniqueUser("bob"), "app", "two"));
            assertEquals(List.of("two"), pushers.pushers(alice).stream().map(Pusher::pushkey).toList());
        }

        @Test
        void deletingForADeviceKeepsTheOtherDevicesPushers() {
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            pushers.set(pusher(alice, "app", "phone", "PHONE", 1), false);
            pushers.set(pusher(alice, "app", "tablet", "TABLET", 1), false);
            pushers.set(pusher(bob, "app", "bob", "PHONE", 1), false);
            pushers.deleteForDevice(alice, "PHONE");
            assertEquals(List.of("tablet"), pushers.pushers(alice).stream().map(Pusher::pushkey).toList());
            assertEquals(1, pushers.pushers(bob).size());

            pushers.deleteAll(alice);
            assertEquals(List.of(), pushers.pushers(alice));
            assertEquals(1, pushers.pushers(bob).size());
        }

        @Test
        void allListsEveryUsersPushers() {
            UserId alice = uniqueUser("alice");
            UserId bob = uniqueUser("bob");
            Pusher a = pusher(alice, "app", "a", "A", 1);
            Pusher b = pusher(bob, "app", "b", "B", 1);
            pushers.set(a, false);
            pushers.set(b, false);
            List<Pusher> all = pushers.all();
            assertTrue(all.contains(a) && all.contains(b), all.toString());
        }
    }
}
