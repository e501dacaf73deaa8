package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.DeviceStore.Device;
import dev.myelin.homeserver.storage.DeviceStore.TokenOwner;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcDeviceStore} against the {@link DeviceStore} contract, on both databases. */
class JdbcDeviceStoreContractTest {

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

    @Nested
    class PostgresEnglishCollation extends Contract {
        PostgresEnglishCollation() {
            super(Backend.POSTGRES_ENGLISH_COLLATION);
        }
    }

    abstract static class Contract extends StoreContract {
        private DeviceStore devices;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            devices = new JdbcDeviceStore(db);
        }

        @Test
        void upsertCreatesTheDevice() {
            UserId alice = uniqueUser("alice");
            devices.upsertDevice(alice, "PHONE", "Alice's phone", 100L, "192.0.2.1");
            assertEquals(Optional.of(new Device(alice, "PHONE", "Alice's phone", 100L, "192.0.2.1")),
                    devices.device(alice, "PHONE"));
        }

        @Test
        void upsertWithoutNameKeepsTheNameAndRefreshesLastSeen() {
            UserId bob = uniqueUser("bob");
            devices.upsertDevice(bob, "LAPTOP", "Work laptop", 100L, "192.0.2.1");
            devices.upsertDevice(bob, "LAPTOP", null, 250L, "198.51.100.7");
            assertEquals(Optional.of(new Device(bob, "LAPTOP", "Work laptop", 250L, "198.51.100.7")),
                    devices.device(bob, "LAPTOP"));
            devices.upsertDevice(bob, "LAPTOP", "Home laptop", 300L, null);
            assertEquals(Optional.of(new Device(bob, "LAPTOP", "Home laptop", 300L, null)),
                    devices.device(bob, "LAPTOP"));
            assertEquals(1, devices.devices(bob).size());
        }

        @Test
        void deviceWithoutNameHasNullName() {
            UserId carol = uniqueUser("carol");
            devices.upsertDevice(carol, "D", null, 5L, null);
            assertEquals(Optional.of(new Device(carol, "D", null, 5L, null)), devices.device(carol, "D"));
        }

        @Test
        void devicesAreListedByDeviceIdInCodePointOrderForThatUserOnly() {
            UserId dave = uniqueUser("dave");
            UserId other = uniqueUser("other");
            for (String id : List.of("b", "a", "_x", "B", "A1", "a0")) {
                devices.upsertDevice(dave, id, null, 1L, null);
            }
            devices.upsertDevice(other, "0", null, 1L, null);
            List<String> ids = devices.devices(dave).stream().map(Device::deviceId).toList();
            assertEquals(List.of("A1", "B", "_x", "a", "a0", "b"), ids);
            assertTrue(devices.devices(dave).stream().allMatch(d -> d.userId().equals(dave)));
            assertEquals(List.of(), devices.devices(uniqueUser("nobody")));
        }

        @Test
        void setDisplayNameRenamesOnlyExistingDevices() {
            UserId erin = uniqueUser("erin");
            UserId other = uniqueUser("other");
            devices.upsertDevice(erin, "TAB", "Tablet", 7L, "192.0.2.9");
            assertTrue(devices.setDisplayName(erin, "TAB", "Kitchen tablet"));
            assertEquals(Optional.of(new Device(erin, "TAB", "Kitchen tablet", 7L, "192.0.2.9")),
                    devices.device(erin, "TAB"));
            assertFalse(devices.setDisplayName(erin, "NOPE", "x"));
            assertFalse(devices.setDisplayName(other, "TAB", "x"));
            assertEquals(Optional.empty(), devices.device(erin, "NOPE"));
            assertEquals(Optional.empty(), devices.device(other, "TAB"));
        }

        @Test
        void accessTokensResolveToTheirOwner() {
            UserId frank = uniqueUser("frank");
            devices.upsertDevice(frank, "D1", null, 1L, null);
            String hash = unique("hash");
            devices.addAccessToken(hash, frank, "D1", 10L);
            assertEquals(Optional.of(new TokenOwner(frank, "D1")), devices.accessTokenOwner(hash));
            assertEquals(Optional.empty(), devices.accessTokenOwner(unique("unknown")));
        }

        @Test
        void deleteDeviceReturnsAndRemovesExactlyThatDevicesTokens() {
            UserId grace = uniqueUser("grace");
            UserId other = uniqueUser("other");
            devices.upsertDevice(grace, "OLD", null, 1L, null);
            devices.upsertDevice(grace, "NEW", null, 1L, null);
            devices.upsertDevice(other, "OLD", null, 1L, null);
            String old1 = unique("old1");
            String old2 = unique("old2");
            String kept = unique("kept");
            String othersOld = unique("others");
            devices.addAccessToken(old1, grace, "OLD", 1L);
            devices.addAccessToken(old2, grace, "OLD", 2L);
            devices.addAccessToken(kept, grace, "NEW", 3L);
            devices.addAccessToken(othersOld, other, "OLD", 4L);

            assertEquals(Set.of(old1, old2), new HashSet<>(devices.deleteDevice(grace, "OLD")));
            assertEquals(List.of(), devices.deleteDevice(grace, "OLD"));
            assertEquals(Optional.empty(), devices.accessTokenOwner(old1));
            assertEquals(Optional.empty(), devices.accessTokenOwner(old2));
            assertEquals(Optional.empty(), devices.device(grace, "OLD"));
            assertEquals(Optional.of(new TokenOwner(grace, "NEW")), devices.accessTokenOwner(kept));
            assertEquals(Optional.of(new TokenOwner(other, "OLD")), devices.accessTokenOwner(othersOld));
            assertTrue(devices.device(other, "OLD").isPresent());
            assertEquals(List.of("NEW"), devices.devices(grace).stream().map(Device::deviceId).toList());
        }

        @Test
        void deleteDeviceWithoutTokensOrUnknownReturnsNothing() {
            UserId heidi = uniqueUser("heidi");
            devices.upsertDevice(heidi, "BARE", null, 1L, null);
            assertEquals(List.of(), devices.deleteDevice(heidi, "BARE"));
            assertEquals(Optional.empty(), devices.device(heidi, "BARE"));
            assertEquals(List.of(), devices.deleteDevice(heidi, "NEVER"));
        }

        @Test
        void deleteAllDevicesRemovesEveryDeviceAndTokenOfTheUserOnly() {
            UserId ivan = uniqueUser("ivan");
            UserId other = uniqueUser("other");
            devices.upsertDevice(ivan, "A", null, 1L, null);
            devices.upsertDevice(ivan, "B", null, 1L, null);
            devices.upsertDevice(other, "A", null, 1L, null);
            String a = unique("a");
            String b = unique("b");
            String othersA = unique("oa");
            devices.addAccessToken(a, ivan, "A", 1L);
            devices.addAccessToken(b, ivan, "B", 1L);
            devices.addAccessToken(othersA, other, "A", 1L);

            assertEquals(Set.of(a, b), new HashSet<>(devices.deleteAllDevices(ivan)));
            assertEquals(List.of(), devices.devices(ivan));
            assertEquals(Optional.empty(), devices.accessTokenOwner(a));
            assertEquals(Optional.empty(), devices.accessTokenOwner(b));
            assertEquals(Optional.of(new TokenOwner(other, "A")), devices.accessTokenOwner(othersA));
            assertEquals(1, devices.devices(other).size());
            assertEquals(List.of(), devices.deleteAllDevices(ivan));
        }
    }
}
