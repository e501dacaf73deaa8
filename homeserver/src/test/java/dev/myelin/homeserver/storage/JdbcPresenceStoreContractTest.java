package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.PresenceStore.Presence;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcPresenceStore} against the {@link PresenceStore} contract, on both databases. */
class JdbcPresenceStoreContractTest {
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
        private PresenceStore presence;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            presence = new JdbcPresenceStore(db);
        }

        @Test
        void putThenGetAndReplace() {
            UserId alice = uniqueUser("alice");
            assertEquals(Optional.empty(), presence.get(alice));
            Presence first = new Presence(alice, "online", "at lunch", 1_700_000_000_000L, 4);
            presence.put(first);
            assertEquals(Optional.of(first), presence.get(alice));
            Presence second = new Presence(alice, "unavailable", null, 1_700_000_000_500L, 9);
            presence.put(second);
            assertEquals(Optional.of(second), presence.get(alice));
        }

        @Test
        void notOfflineListsOnlineAndUnavailableUsers() {
            Presence online = new Presence(uniqueUser("on"), "online", null, 1, 20);
            Presence away = new Presence(uniqueUser("away"), "unavailable", "brb", 2, 21);
            Presence gone = new Presence(uniqueUser("gone"), "offline", null, 3, 22);
            presence.put(online);
            presence.put(away);
            presence.put(gone);
            var listed = presence.notOffline();
            assertTrue(listed.contains(online) && listed.contains(away), listed.toString());
            assertTrue(listed.stream().noneMatch(p -> p.userId().equals(gone.userId())), listed.toString());
        }

        @Test
        void maxStreamIdIsZeroWhenEmptyThenTheHighestUsed() {
            try (Backend.OpenDatabase empty = backend().open()) {
                PresenceStore fresh = new JdbcPresenceStore(empty.db());
                assertEquals(0L, fresh.maxStreamId());
                fresh.put(new Presence(uniqueUser("erin"), "online", null, 1, 3_000_000_000L));
                fresh.put(new Presence(uniqueUser("frank"), "offline", null, 1, 8));
                assertEquals(3_000_000_000L, fresh.maxStreamId());
            }
        }
    }
}
