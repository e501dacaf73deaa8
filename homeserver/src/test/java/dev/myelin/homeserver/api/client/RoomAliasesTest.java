package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Room aliases over HTTP: {@code /directory/room/{roomAlias}}, room alias lists, canonical aliases. */
class RoomAliasesTest {
    @Nested
    class Sqlite extends Behaviour {
        Sqlite() {
            super(TestServer::sqlite);
        }
    }

    @Nested
    class Postgres extends Behaviour {
        Postgres() {
            super(TestServer::postgres);
        }
    }

    abstract static class Behaviour extends ServerPerClass {
        Behaviour(Supplier<TestServer> start) {
            super(start);
        }

        private static String newAlias(String name) {
            return "#" + name + "-" + UUID.randomUUID().toString().substring(0, 8) + ":localhost";
        }

        private static String path(String alias) {
            return "/directory/room/" + enc(alias);
        }

        @Test
        void createdAliasResolvesWithoutAuthenticationAndJoinsTheRoom() throws Exception {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            String alias = newAlias("lounge");
            alice.ok("PUT", path(alias), Map.of("room_id", roomId));

            JsonNode resolved = alice.ok("GET", path(alias), null);
            assertEquals(roomId, resolved.path("room_id").asText());
            assertEquals("localhost", resolved.path("servers").path(0).asText());
            HttpResponse<String> anonymous = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(server().baseUrl() + "/_matrix/client/v3" + path(alias))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, anonymous.statusCode(), anonymous.body());

            bob.join(alias);
            assertEquals(List.of(alias), aliases(bob, roomId));
        }

        @Test
        void takenAliasIs409AndUnknownAliasIs404() {
            TestUser alice = user("alice");
            String first = alice.createRoom(Map.of());
            String second = alice.createRoom(Map.of());
            String alias = newAlias("taken");
            alice.ok("PUT", path(alias), Map.of("room_id", first));
            alice.fails(409, "M_UNKNOWN", "PUT", path(alias), Map.of("room_id", second));
            assertEquals(first, alice.ok("GET", path(alias), null).path("room_id").asText());
            alice.fails(404, "M_NOT_FOUND", "GET", path(newAlias("nowhere")), null);
            alice.fails(404, "M_NOT_FOUND", "DELETE", path(newAlias("nowhere")), null);
        }

        @Test
        void badAliasesAndRoomsAreRefused() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of());
            alice.fails(400, "M_INVALID_PARAM", "PUT", path("#elsewhere:other.example"), Map.of("room_id", roomId));
            alice.fails(400, "M_INVALID_PARAM", "PUT", path("no-hash:localhost"), Map.of("room_id", roomId));
            alice.fails(400, "M_INVALID_PARAM", "PUT", path("#with space:localhost"), Map.of("room_id", roomId));
            alice.fails(400, "M_INVALID_PARAM", "GET", path("not-an-alias"), null);
            alice.fails(400, "M_MISSING_PARAM", "PUT", path(newAlias("x")), Map.of());
            alice.fails(400, "M_BAD_JSON", "PUT", path(newAlias("x")), Map.of("room_id", 7));
            alice.fails(400, "M_INVALID_PARAM", "PUT", path(newAlias("x")), Map.of("room_id", "nonsense"));
            alice.fails(404, "M_NOT_FOUND", "PUT", path(newAlias("x")), Map.of("room_id", "!missing:localhost"));
            bob.fails(403, "M_FORBIDDEN", "PUT", path(newAlias("x")), Map.of("room_id", roomId));
        }

        @Test
        void deletingNeedsTheCreatorOrPowerInTheRoom() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser carol = user("carol");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            carol.join(roomId);
            String bobs = newAlias("bobs");
            String carols = newAlias("carols");
            bob.ok("PUT", path(bobs), Map.of("room_id", roomId));
            carol.ok("PUT", path(carols), Map.of("room_id", roomId));

            bob.fails(403, "M_FORBIDDEN", "DELETE", path(carols), null);
            bob.ok("DELETE", path(bobs), null);
            alice.ok("DELETE", path(carols), null);
            alice.fails(404, "M_NOT_FOUND", "GET", path(bobs), null);
            assertEquals(List.of(), aliases(alice, roomId));
        }

        @Test
        void aliasListIsForMembersOrWorldReadableRooms() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of());
            String b = newAlias("b");
            String a = newAlias("a");
            alice.ok("PUT", path(b), Map.of("room_id", roomId));
            alice.ok("PUT", path(a), Map.of("room_id", roomId));
            assertEquals(List.of(a, b).stream().sorted().toList(), aliases(alice, roomId));
            bob.fails(403, "M_FORBIDDEN", "GET", "/rooms/" + enc(roomId) + "/aliases", null);
            bob.fails(403, "M_FORBIDDEN", "GET", "/rooms/" + enc("!missing:localhost") + "/aliases", null);
            alice.setState(roomId, "m.room.history_visibility", "", Map.of("history_visibility", "world_readable"));
            assertEquals(2, aliases(bob, roomId).size());
        }

        @Test
        void canonicalAliasMustPointAtTheRoom() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            String other = alice.createRoom(Map.of());
            String mine = newAlias("mine");
            String theirs = newAlias("theirs");
            alice.ok("PUT", path(mine), Map.of("room_id", roomId));
            alice.ok("PUT", path(theirs), Map.of("room_id", other));
            String state = "/rooms/" + enc(roomId) + "/state/m.room.canonical_alias/";

            alice.fails(400, "M_BAD_ALIAS", "PUT", state, Map.of("alias", theirs));
            alice.fails(400, "M_BAD_ALIAS", "PUT", state, Map.of("alias", newAlias("unknown")));
            alice.fails(400, "M_BAD_ALIAS", "PUT", state, Map.of("alias", mine, "alt_aliases", List.of(theirs)));
            alice.fails(400, "M_INVALID_PARAM", "PUT", state, Map.of("alias", "not an alias"));
            alice.fails(400, "M_INVALID_PARAM", "PUT", state, Map.of("alt_aliases", "#x:localhost"));
            alice.ok("PUT", state, Map.of("alias", mine, "alt_aliases", List.of(mine)));
            assertEquals(mine, canonical(alice, roomId).path("alias").asText());
        }

        @Test
        void deletingTheCanonicalAliasRemovesItFromTheRoomState() {
            TestUser alice = user("alice");
            String localpart = "canon-" + UUID.randomUUID().toString().substring(0, 8);
            String roomId = alice.createRoom(Map.of("room_alias_name", localpart));
            String alias = "#" + localpart + ":localhost";
            String alt = newAlias("alt");
            alice.ok("PUT", path(alt), Map.of("room_id", roomId));
            alice.setState(roomId, "m.room.canonical_alias", "", Map.of("alias", alias, "alt_aliases", List.of(alt)));

            alice.ok("DELETE", path(alias), null);
            JsonNode canonical = canonical(alice, roomId);
            assertFalse(canonical.has("alias"), canonical.toString());
            assertEquals(alt, canonical.path("alt_aliases").path(0).asText());
            alice.ok("DELETE", path(alt), null);
            assertEquals(0, canonical(alice, roomId).path("alt_aliases").size());
        }

        private static List<String> aliases(TestUser user, String roomId) {
            JsonNode body = user.ok("GET", "/rooms/" + enc(roomId) + "/aliases", null);
            List<String> aliases = new java.util.ArrayList<>();
            body.path("aliases").forEach(alias -> aliases.add(alias.asText()));
            return aliases;
        }

        private static JsonNode canonical(TestUser user, String roomId) {
            return user.ok("GET", "/rooms/" + enc(roomId) + "/state/m.room.canonical_alias/", null);
        }
    }
}
