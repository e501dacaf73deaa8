package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.AccountStore.Profile;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcAccountStore} against the {@link AccountStore} contract, on both databases. */
class JdbcAccountStoreContractTest {

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
        private AccountStore accounts;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            accounts = new JdbcAccountStore(db);
        }

        @Test
        void createdUserHasItsHashAndDisplayname() {
            UserId alice = uniqueUser("alice");
            assertTrue(accounts.createUser(alice, "$argon2id$hash", 1_700_000_000_000L, "Alice"));
            assertTrue(accounts.userExists(alice));
            assertEquals(Optional.of("$argon2id$hash"), accounts.passwordHash(alice));
            assertEquals(Optional.of(new Profile("Alice", null)), accounts.profile(alice));
        }

        @Test
        void createUserReturnsFalseOnATakenIdAndKeepsTheFirstAccount() {
            UserId bob = uniqueUser("bob");
            assertTrue(accounts.createUser(bob, "first", 1L, "Bob"));
            assertFalse(accounts.createUser(bob, "second", 2L, "Impostor"));
            assertEquals(Optional.of("first"), accounts.passwordHash(bob));
            assertEquals(Optional.of(new Profile("Bob", null)), accounts.profile(bob));
        }

        @Test
        void concurrentCreatesOfOneIdHaveExactlyOneWinner() throws Exception {
            UserId frank = uniqueUser("frank");
            List<Callable<Boolean>> attempts = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                String hash = "hash-" + i;
                attempts.add(() -> accounts.createUser(frank, hash, 1L, null));
            }
            ExecutorService pool = Executors.newFixedThreadPool(attempts.size());
            try {
                List<Boolean> created = new ArrayList<>();
                for (Future<Boolean> attempt : pool.invokeAll(attempts)) {
                    created.add(attempt.get());
                }
                assertEquals(1, created.stream().filter(Boolean::booleanValue).count(), created.toString());
                assertEquals("hash-" + created.indexOf(true), accounts.passwordHash(frank).orElseThrow());
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void userIdsAreCaseSensitive() {
            UserId lower = uniqueUser("carol");
            UserId upper = UserId.of(lower.value().toUpperCase().replace("EXAMPLE.ORG", "example.org"));
            assertTrue(accounts.createUser(lower, "h", 1L, null));
            assertFalse(accounts.userExists(upper));
            assertTrue(accounts.createUser(upper, "h2", 1L, null));
            assertEquals(Optional.of("h"), accounts.passwordHash(lower));
        }

        @Test
        void unknownUserHasNothing() {
            UserId nobody = uniqueUser("nobody");
            assertFalse(accounts.userExists(nobody));
            assertEquals(Optional.empty(), accounts.passwordHash(nobody));
            assertEquals(Optional.empty(), accounts.profile(nobody));
        }

        @Test
        void userWithoutPasswordHasNoHash() {
            UserId bot = uniqueUser("bot");
            assertTrue(accounts.createUser(bot, null, 1L, "Bot"));
            assertTrue(accounts.userExists(bot));
            assertEquals(Optional.empty(), accounts.passwordHash(bot));
        }

        @Test
        void profileFieldsMayBothBeNull() {
            UserId dave = uniqueUser("dave");
            accounts.createUser(dave, "h", 1L, null);
            assertEquals(Optional.of(new Profile(null, null)), accounts.profile(dave));
        }

        @Test
        void displaynameAndAvatarUpdateIndependently() {
            UserId erin = uniqueUser("erin");
            accounts.createUser(erin, "h", 1L, "Erin");
            accounts.setAvatarUrl(erin, "mxc://example.org/abc");
            assertEquals(Optional.of(new Profile("Erin", "mxc://example.org/abc")), accounts.profile(erin));
            accounts.setDisplayname(erin, "Erin Z. 🌱");
            assertEquals(Optional.of(new Profile("Erin Z. 🌱", "mxc://example.org/abc")), accounts.profile(erin));
            accounts.setAvatarUrl(erin, null);
            accounts.setDisplayname(erin, null);
            assertEquals(Optional.of(new Profile(null, null)), accounts.profile(erin));
            assertEquals(Optional.of("h"), accounts.passwordHash(erin));
        }

        @Test
        void updatingAnUnknownUserCreatesNothing() {
            UserId ghost = uniqueUser("ghost");
            accounts.setDisplayname(ghost, "Ghost");
            accounts.setAvatarUrl(ghost, "mxc://example.org/ghost");
            assertFalse(accounts.userExists(ghost));
            assertEquals(Optional.empty(), accounts.profile(ghost));
        }
    }
}
