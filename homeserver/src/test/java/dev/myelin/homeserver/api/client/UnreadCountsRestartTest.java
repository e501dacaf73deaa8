package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.SyncJson.room;
import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.homeserver.testing.TestDatabases;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Unread counts and {@code /notifications} after a restart: rebuilt from the stored notifications,
 * read positions and the users' own events, on both databases.
 */
class UnreadCountsRestartTest {
    @Test
    void sqlite() {
        Path dir = TestDatabases.tempDir("myelin-restart");
        String url = TestDatabases.freshSqlite(dir);
        check(dir, url);
    }

    @Test
    void postgres() {
        String url = TestDatabases.freshPostgres();
        try {
            check(TestDatabases.tempDir("myelin-restart"), url);
        } finally {
            TestDatabases.dropPostgres(url);
        }
    }

    private static void check(Path dir, String url) {
        TestUser alice;
        TestUser bob;
        TestUser carol;
        String roomId;
        JsonNode before;
        try (TestServer server = TestServer.reopen(dir, url)) {
            alice = TestUser.register(server, "alice");
            bob = TestUser.register(server, "bob");
            carol = TestUser.register(server, "carol");
            roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            carol.join(roomId);
            String first = alice.say(roomId, "one");
            alice.sendEvent(roomId, "m.room.message", "mention", Map.of("msgtype", "m.text", "body", "hey",
                    "m.mentions", Map.of("user_ids", List.of(bob.id()))));
            alice.say(roomId, "three");
            bob.ok("POST", "/rooms/" + enc(roomId) + "/receipt/m.read/" + enc(first), Map.of());
            carol.say(roomId, "four");
            before = bob.ok("GET", "/notifications", null);
        }
        try (TestServer server = TestServer.reopen(dir, url)) {
            TestUser bobAgain = bob.on(server);
            TestUser carolAgain = carol.on(server);
            JsonNode bobRoom = room(bobAgain.sync(""), "join", roomId);
            assertEquals("3/1", counts(bobRoom), "bob: three after his read position, one a mention");
            assertEquals("0/0", counts(room(carolAgain.sync(""), "join", roomId)), "carol spoke last");
            assertEquals("1/0", counts(room(alice.on(server).sync(""), "join", roomId)), "carol's message");
            assertEquals(withoutAge(before), withoutAge(bobAgain.ok("GET", "/notifications", null)));
        }
    }

    /** The notifications without {@code unsigned.age}, which grows between the two calls. */
    private static JsonNode withoutAge(JsonNode notifications) {
        JsonNode copy = notifications.deepCopy();
        copy.path("notifications").forEach(n -> ((ObjectNode) n.path("event").path("unsigned")).remove("age"));
        assertEquals(4, copy.path("notifications").size(), copy.toString());
        return copy;
    }

    private static String counts(JsonNode joinedRoom) {
        JsonNode unread = joinedRoom.path("unread_notifications");
        return unread.path("notification_count").asInt(-1) + "/" + unread.path("highlight_count").asInt(-1);
    }
}
