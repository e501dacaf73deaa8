package dev.myelin.homeserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.TestDatabases;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A peer stopped while messages are sent to its room gets every one of them, in order, once it is back. */
class PeerRestartTest {
    @Test
    void aPeerThatWasDownIsCaughtUpAfterItsRestart() {
        Path dirOne = TestDatabases.tempDir("myelin-restart-one");
        Path dirTwo = TestDatabases.tempDir("myelin-restart-two");
        String dbTwo = TestDatabases.freshSqlite(dirTwo);
        int portTwo = TestServer.freePort();
        try (TestServer one = TestServer.federated(dirOne, TestDatabases.freshSqlite(dirOne), TestServer.freePort(), true)) {
            TestUser alice = TestUser.register(one, "alice");
            TestUser bob;
            String roomId;
            try (TestServer two = TestServer.federated(dirTwo, dbTwo, portTwo, false)) {
                bob = TestUser.register(two, "bob");
                roomId = TwoServersTest.sharedRoom(alice, bob);
                alice.say(roomId, "before the stop");
            }
            for (int i = 1; i <= 5; i++) {
                alice.say(roomId, "while down " + i);
            }
            try (TestServer two = TestServer.federated(dirTwo, dbTwo, portTwo, true)) {
                TestUser back = bob.on(two);
                JsonNode start = back.sync("timeout=0");
                List<String> bodies = new ArrayList<>();
                bodies.addAll(messages(start, roomId));
                if (bodies.size() < 6) {
                    TwoServersTest.until(back, start, s -> {
                        bodies.addAll(messages(s, roomId));
                        return bodies.stream().filter(b -> b.startsWith("while down")).count() >= 5;
                    });
                }
                List<String> page = new ArrayList<>();
                back.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/messages?dir=b&limit=50", null).path("chunk")
                        .forEach(e -> {
                            if (e.path("type").asText().equals("m.room.message")) {
                                page.add(0, e.path("content").path("body").asText());
                            }
                        });
                assertEquals(List.of("before the stop", "while down 1", "while down 2", "while down 3", "while down 4",
                        "while down 5"), page);
            }
        }
    }

    @Test
    void aPeerThatMissedEventsFillsTheGapFromTheSendersState() throws Exception {
        Path dirOne = TestDatabases.tempDir("myelin-gap-one");
        Path dirTwo = TestDatabases.tempDir("myelin-gap-two");
        String dbOne = TestDatabases.freshSqlite(dirOne);
        String dbTwo = TestDatabases.freshSqlite(dirTwo);
        int portTwo = TestServer.freePort();
        try (TestServer one = TestServer.federated(dirOne, dbOne, TestServer.freePort(), true)) {
            TestUser alice = TestUser.register(one, "alice");
            TestUser bob;
            String roomId;
            try (TestServer two = TestServer.federated(dirTwo, dbTwo, portTwo, false)) {
                bob = TestUser.register(two, "bob");
                roomId = TwoServersTest.sharedRoom(alice, bob);
            }
            alice.ok("PUT", "/rooms/" + TestUser.enc(roomId) + "/state/m.room.topic/", Map.of("topic", "set in the gap"));
            for (int i = 1; i <= 30; i++) {
                alice.say(roomId, "lost " + i);
            }
            // The queue loses what it held for server two: two must learn of the gap on its own.
            try (var connection = java.sql.DriverManager.getConnection(dbOne);
                 var statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM federation_outbox");
            }
            try (TestServer two = TestServer.federated(dirTwo, dbTwo, portTwo, true)) {
                TestUser back = bob.on(two);
                JsonNode start = back.sync("timeout=0");
                alice.say(roomId, "after the gap");
                TwoServersTest.until(back, start, s -> messages(s, roomId).contains("after the gap"));
                assertEquals("set in the gap", back.ok("GET", "/rooms/" + TestUser.enc(roomId)
                        + "/state/m.room.topic/", null).path("topic").asText());
            }
        }
    }

    private static List<String> messages(JsonNode sync, String roomId) {
        List<String> bodies = new ArrayList<>();
        TwoServersTest.timeline(sync, roomId).stream().filter(e -> e.path("type").asText().equals("m.room.message"))
                .forEach(e -> bodies.add(e.path("content").path("body").asText()));
        return bodies;
    }
}
