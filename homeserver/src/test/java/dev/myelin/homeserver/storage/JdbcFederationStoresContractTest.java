package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The federation's stores on both databases: the outbox, received transactions, the device
 * inbox, and the event store's outliers and backfilled history.
 */
class JdbcFederationStoresContractTest {
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
        private FederationOutbox outbox;
        private ReceivedTransactions received;
        private DeviceInbox inbox;
        private EventStore events;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            outbox = new JdbcFederationOutbox(db);
            received = new JdbcReceivedTransactions(db);
            inbox = new JdbcDeviceInbox(db);
            events = new JdbcEventStore(db);
        }

        @Test
        void theOutboxKeepsEachDestinationsEntriesInOrderUntilRemoved() {
            ServerName a = ServerName.of(unique("a") + ".example");
            ServerName b = ServerName.of(unique("b") + ".example");
            outbox.append(List.of(a, b), FederationOutbox.Kind.PDU, "{\"n\":1}");
            outbox.append(List.of(a), FederationOutbox.Kind.EDU, "{\"e\":1}");
            outbox.append(List.of(a), FederationOutbox.Kind.PDU, "{\"n\":2}");
            List<FederationOutbox.Entry> pdus = outbox.pending(a, FederationOutbox.Kind.PDU, 10);
            assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), pdus.stream().map(FederationOutbox.Entry::payload).toList());
            assertTrue(pdus.get(0).id() < pdus.get(1).id());
            assertEquals(1, outbox.pending(a, FederationOutbox.Kind.PDU, 1).size());
            assertEquals(List.of("{\"e\":1}"), outbox.pending(a, FederationOutbox.Kind.EDU, 10).stream()
                    .map(FederationOutbox.Entry::payload).toList());
            assertEquals(1, outbox.pending(b, FederationOutbox.Kind.PDU, 10).size());
            assertTrue(outbox.destinations().containsAll(List.of(a, b)));

            outbox.remove(a, List.of(pdus.get(0).id()));
            assertEquals(List.of("{\"n\":2}"), outbox.pending(a, FederationOutbox.Kind.PDU, 10).stream()
                    .map(FederationOutbox.Entry::payload).toList());
            assertEquals(1, outbox.pending(b, FederationOutbox.Kind.PDU, 10).size(), "another destination keeps its copy");

            // A new instance (a restart) continues above the IDs in use.
            new JdbcFederationOutbox(db).append(List.of(a), FederationOutbox.Kind.PDU, "{\"n\":3}");
            List<FederationOutbox.Entry> after = outbox.pending(a, FederationOutbox.Kind.PDU, 10);
            assertEquals(List.of("{\"n\":2}", "{\"n\":3}"), after.stream().map(FederationOutbox.Entry::payload).toList());
        }

        @Test
        void aReceivedTransactionKeepsItsFirstResponse() {
            ServerName origin = ServerName.of(unique("origin") + ".example");
            assertEquals(Optional.empty(), received.response(origin, "t1"));
            received.record(origin, "t1", "{\"pdus\":{}}", 1);
            received.record(origin, "t1", "{\"other\":true}", 2);
            assertEquals(Optional.of("{\"pdus\":{}}"), received.response(origin, "t1"));
            assertEquals(Optional.empty(), received.response(ServerName.of(unique("else") + ".example"), "t1"));
        }

        @Test
        void theDeviceInboxHandsOutAndDropsMessagesPerDevice() {
            UserId bob = uniqueUser("bob");
            long base = inbox.maxStreamId();
            inbox.add(List.of(new DeviceInbox.Message(base + 1, bob, "PHONE", "{\"n\":1}"),
                    new DeviceInbox.Message(base + 2, bob, "LAPTOP", "{\"n\":2}"),
                    new DeviceInbox.Message(base + 3, bob, "PHONE", "{\"n\":3}")));
            assertEquals(base + 3, inbox.maxStreamId());
            assertEquals(List.of("{\"n\":1}", "{\"n\":3}"), json(inbox.pending(bob, "PHONE", base, base + 3, 10)));
            assertEquals(List.of("{\"n\":3}"), json(inbox.pending(bob, "PHONE", base + 1, base + 3, 10)));
            assertEquals(List.of("{\"n\":1}"), json(inbox.pending(bob, "PHONE", base, base + 3, 1)));
            inbox.acknowledge(bob, "PHONE", base + 1);
            assertEquals(List.of("{\"n\":3}"), json(inbox.pending(bob, "PHONE", 0, base + 3, 10)));
            inbox.deleteForDevice(bob, "PHONE");
            assertEquals(List.of(), json(inbox.pending(bob, "PHONE", 0, base + 3, 10)));
            assertEquals(List.of("{\"n\":2}"), json(inbox.pending(bob, "LAPTOP", 0, base + 3, 10)));
            inbox.deleteAll(bob);
            assertEquals(List.of(), json(inbox.pending(bob, "LAPTOP", 0, base + 3, 10)));
        }

        @Test
        void outliersReadBackWithoutAPositionAndBackfillSitsBelowTheHistory() {
            UserId alice = uniqueUser("alice");
            RoomHistory room = RoomHistory.create(events, unique("fed"), alice, 4);
            Pdu outlier = room.prepare(alice, "m.room.topic", "", RoomHistory.json("{'topic':'elsewhere'}"), null, null,
                    null).event().pdu();
            events.persistOutliers(List.of(outlier, outlier));
            StoredEvent read = events.event(outlier.eventId()).orElseThrow();
            assertEquals(0, read.stream());
            assertEquals(outlier.canonicalJson(), read.pdu().canonicalJson());
            assertEquals(1, events.events(List.of(outlier.eventId())).size());

            Pdu older = room.prepare(alice, "m.room.message", null, RoomHistory.json("{'body':'older'}"), null, null,
                    null).event().pdu();
            long below = Math.min(0, events.minStream()) - 1;
            events.persistBackfilled(List.of(new StoredEvent(below, older, room.events().get(0).stateGroup(), null,
                    null, null, null)));
            assertEquals(below, events.event(older.eventId()).orElseThrow().stream());
            assertEquals(older.eventId(), events.earliestEvent(older.roomId()).orElseThrow().pdu().eventId());
            assertTrue(events.minStream() <= below);
        }

        private static List<String> json(List<DeviceInbox.Message> messages) {
            return messages.stream().map(DeviceInbox.Message::json).toList();
        }
    }
}
