package dev.myelin.homeserver.service.ephemeral;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.UserMemberships;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.Database;
import dev.myelin.homeserver.storage.JdbcEventStore;
import dev.myelin.homeserver.storage.JdbcPresenceStore;
import dev.myelin.homeserver.storage.JdbcRoomStateStore;
import dev.myelin.homeserver.testing.ManualClock;
import dev.myelin.homeserver.testing.TestDatabases;
import java.time.Duration;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * {@link PresenceService} across a restart: a new service on the same database keeps each user's
 * state, status message and stream position, and users nobody syncs for go offline. Both databases.
 */
class PresenceRestartTest {
    @Nested
    class Sqlite extends Restart {
        Sqlite() {
            super(() -> TestDatabases.freshSqlite(TestDatabases.tempDir("myelin-presence-test")));
        }
    }

    @Nested
    class Postgres extends Restart {
        Postgres() {
            super(TestDatabases::freshPostgres);
        }
    }

    abstract static class Restart {
        private final Supplier<String> freshUrl;

        Restart(Supplier<String> freshUrl) {
            this.freshUrl = freshUrl;
        }

        /** A presence service as the server builds it at start-up. */
        private static PresenceService start(Database db, ManualClock clock) {
            var presenceStore = new JdbcPresenceStore(db);
            var roomStore = new JdbcRoomStateStore(db);
            var streams = new Streams(0, 0, 0, 0, presenceStore.maxStreamId());
            var rooms = new LiveRooms(roomStore, new EventCache(new JdbcEventStore(db), 100));
            return new PresenceService(presenceStore, streams, new Notifier(), new UserMemberships(roomStore), rooms,
                    clock, EphemeralListener.NONE);
        }

        @Test
        void stateAndStatusSurviveARestartAndUnsyncedUsersThenGoOffline() {
            String url = freshUrl.get();
            ManualClock clock = new ManualClock();
            UserId alice = UserId.of("@alice:example.org");
            UserId bob = UserId.of("@bob:example.org");
            try (Database db = Database.open(url, 2)) {
                PresenceService before = start(db, clock);
                before.set(alice, PresenceService.UNAVAILABLE, "on holiday");
                before.set(bob, PresenceService.ONLINE, null);
            }
            try (Database db = Database.open(url, 2)) {
                PresenceService after = start(db, clock);
                assertEquals(PresenceService.UNAVAILABLE, after.of(alice).orElseThrow().state());
                assertEquals("on holiday", after.of(alice).orElseThrow().statusMsg());
                assertEquals(PresenceService.ONLINE, after.of(bob).orElseThrow().state());
                long bobStream = after.of(bob).orElseThrow().streamId();

                after.syncStarted(alice, null);
                after.syncEnded(alice);
                clock.advance(Duration.ofMillis(PresenceService.OFFLINE_AFTER_MS - 1));
                after.expire();
                assertEquals(PresenceService.ONLINE, after.of(bob).orElseThrow().state(), "not yet");
                clock.advance(Duration.ofMillis(1));
                after.expire();
                assertEquals(PresenceService.OFFLINE, after.of(bob).orElseThrow().state());
                assertEquals(PresenceService.OFFLINE, after.of(alice).orElseThrow().state());
                assertEquals("on holiday", after.of(alice).orElseThrow().statusMsg());
                assertEquals(bobStream + 1, Math.min(after.of(bob).orElseThrow().streamId(),
                        after.of(alice).orElseThrow().streamId()), "the stream resumed after the stored positions");
            } finally {
                if (url.startsWith("jdbc:postgresql:")) {
                    TestDatabases.dropPostgres(url);
                }
            }
        }
    }
}
