package dev.myelin.homeserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.TestDatabases;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A server that joins a room with history pages back through it with backfill from the resident server. */
class BackfillTest {
    @Test
    void aLateServerPagesBackThroughTheRoomsHistory() {
        Path dirOne = TestDatabases.tempDir("myelin-backfill-one");
        Path dirThree = TestDatabases.tempDir("myelin-backfill-three");
        try (TestServer one = TestServer.federated(dirOne, TestDatabases.freshSqlite(dirOne), TestServer.freePort(), true);
             TestServer three = TestServer.federated(dirThree, TestDatabases.freshSqlite(dirThree),
                     TestServer.freePort(), true)) {
            TestUser alice = TestUser.register(one, "alice");
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "initial_state", List.of(Map.of(
                    "type", "m.room.history_visibility", "state_key", "", "content",
                    Map.of("history_visibility", "shared")))));
            List<String> said = new ArrayList<>();
            for (int i = 1; i <= 45; i++) {
                said.add("history " + i);
                alice.say(roomId, "history " + i);
            }
            TestUser carol = TestUser.register(three, "carol");
            carol.ok("POST", "/join/" + TestUser.enc(roomId), Map.of());

            List<String> seen = new ArrayList<>();
            String from = null;
            boolean sawCreate = false;
            for (int page = 0; page < 20; page++) {
                JsonNode response = carol.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/messages?dir=b&limit=10"
                        + (from == null ? "" : "&from=" + TestUser.enc(from)), null);
                for (JsonNode event : response.path("chunk")) {
                    if (event.path("type").asText().equals("m.room.message")) {
                        seen.add(0, event.path("content").path("body").asText());
                    }
                    sawCreate |= event.path("type").asText().equals("m.room.create");
                }
                if (!response.has("end")) {
                    break;
                }
                from = response.path("end").asText();
            }
            assertEquals(said, seen);
            assertTrue(sawCreate, "paging back reaches the room's creation");
        }
    }
}
