package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.SyncJson;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@code POST /rooms/{roomId}/upgrade} and {@code m.room.server_acl} content over HTTP, on both databases. */
class RoomUpgradeTest {
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

        private static String upgradePath(String roomId) {
            return "/rooms/" + enc(roomId) + "/upgrade";
        }

        private static String upgrade(TestUser user, String roomId, String version) {
            return user.ok("POST", upgradePath(roomId), Map.of("new_version", version)).path("replacement_room").asText();
        }

        private static JsonNode state(TestUser user, String roomId, String type) {
            return user.ok("GET", "/rooms/" + enc(roomId) + "/state/" + enc(type) + "/", null);
        }

        @Test
        void onlyMembersWithPowerToSendTheTombstoneMayUpgrade() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser eve = user("eve");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            bob.fails(403, "M_FORBIDDEN", "POST", upgradePath(roomId), Map.of("new_version", "11"));
            eve.fails(403, "M_FORBIDDEN", "POST", upgradePath(roomId), Map.of("new_version", "11"));
            eve.fails(403, "M_FORBIDDEN", "POST", upgradePath("!nowhere:localhost"), Map.of("new_version", "11"));
            assertFalse(SyncJson.types(SyncJson.events(alice.ok("GET", "/rooms/" + enc(roomId) + "/state", null)))
                    .contains("m.room.tombstone"));
            // Power to send the tombstone is what counts: give it to bob alone.
            alice.setState(roomId, "m.room.power_levels", "", Map.of("users", Map.of(alice.id(), 100, bob.id(), 60),
                    "events", Map.of("m.room.tombstone", 60, "m.room.power_levels", 100)));
            String replacement = upgrade(bob, roomId, "11");
            assertEquals(replacement, state(alice, roomId, "m.room.tombstone").path("replacement_room").asText());
        }

        @Test
        void badRequests() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            alice.fails(400, "M_UNSUPPORTED_ROOM_VERSION", "POST", upgradePath(roomId), Map.of("new_version", "9"));
            alice.fails(400, "M_UNSUPPORTED_ROOM_VERSION", "POST", upgradePath(roomId), Map.of("new_version", "99"));
            alice.fails(400, "M_MISSING_PARAM", "POST", upgradePath(roomId), Map.of());
            alice.fails(400, "M_BAD_JSON", "POST", upgradePath(roomId), Map.of("new_version", 11));
            alice.fails(403, "M_FORBIDDEN", "POST", upgradePath("!nowhere:localhost"), Map.of("new_version", "11"));
        }

        @Test
        void replacementHasPredecessorAndCopiedStateAndBans() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser mallory = user("mallory");
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "name", "Lobby", "topic", "chat",
                    "room_version", "10", "creation_content", Map.of("type", "org.example.space")));
            alice.setState(roomId, "m.room.avatar", "", Map.of("url", "mxc://localhost/avatar"));
            alice.setState(roomId, "m.room.encryption", "", Map.of("algorithm", "m.megolm.v1.aes-sha2"));
            alice.setState(roomId, "m.room.server_acl", "", Map.of("allow", List.of("*"), "deny", List.of("evil.com"),
                    "allow_ip_literals", false));
            alice.setState(roomId, "m.room.history_visibility", "", Map.of("history_visibility", "joined"));
            alice.setState(roomId, "org.example.custom", "", Map.of("kept", false));
            bob.join(roomId);
            mallory.join(roomId);
            alice.ok("POST", "/rooms/" + enc(roomId) + "/ban", Map.of("user_id", mallory.id(), "reason", "spam"));
            String lastEvent = alice.say(roomId, "last words");

            String replacement = upgrade(alice, roomId, "11");
            JsonNode create = state(alice, replacement, "m.room.create");
            assertEquals("11", create.path("room_version").asText());
            assertFalse(create.has("creator"), "v11 create events have no creator: " + create);
            assertEquals(roomId, create.path("predecessor").path("room_id").asText());
            assertEquals(lastEvent, create.path("predecessor").path("event_id").asText());
            assertEquals("org.example.space", create.path("type").asText());

            assertEquals("Lobby", state(alice, replacement, "m.room.name").path("name").asText());
            assertEquals("chat", state(alice, replacement, "m.room.topic").path("topic").asText());
            assertEquals("mxc://localhost/avatar", state(alice, replacement, "m.room.avatar").path("url").asText());
            assertEquals("public", state(alice, replacement, "m.room.join_rules").path("join_rule").asText());
            assertEquals("joined", state(alice, replacement, "m.room.history_visibility")
                    .path("history_visibility").asText());
            assertEquals(state(alice, roomId, "m.room.guest_access"), state(alice, replacement, "m.room.guest_access"));
            assertEquals("m.megolm.v1.aes-sha2", state(alice, replacement, "m.room.encryption").path("algorithm").asText());
            JsonNode acl = state(alice, replacement, "m.room.server_acl");
            assertEquals("evil.com", acl.path("deny").path(0).asText());
            assertFalse(acl.path("allow_ip_literals").asBoolean(true));
            alice.fails(404, "M_NOT_FOUND", "GET", "/rooms/" + enc(replacement) + "/state/org.example.custom/", null);

            JsonNode ban = alice.ok("GET", "/rooms/" + enc(replacement) + "/state/m.room.member/" + enc(mallory.id()), null);
            assertEquals("ban", ban.path("membership").asText());
            assertEquals("spam", ban.path("reason").asText());
            mallory.fails(403, "M_FORBIDDEN", "POST", "/join/" + enc(replacement), Map.of());

            // Members are not moved; they follow the tombstone and join.
            bob.join(replacement);
            assertEquals(List.of(alice.id(), bob.id()).stream().sorted().toList(),
                    alice.ok("GET", "/rooms/" + enc(replacement) + "/joined_members", null).path("joined")
                            .properties().stream().map(Map.Entry::getKey).sorted().toList());
        }

        @Test
        void powerLevelsAreCopiedAndTheOldRoomIsRestricted() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            alice.setState(roomId, "m.room.power_levels", "", Map.of("users", Map.of(alice.id(), 100, bob.id(), 42),
                    "events", Map.of("m.room.name", 42), "users_default", 0, "events_default", 0, "invite", 0,
                    "state_default", 50));
            JsonNode before = state(alice, roomId, "m.room.power_levels");

            String replacement = upgrade(alice, roomId, "10");
            assertEquals(before, state(alice, replacement, "m.room.power_levels"));

            JsonNode restricted = state(alice, roomId, "m.room.power_levels");
            assertEquals(50, restricted.path("events_default").asInt());
            assertEquals(50, restricted.path("invite").asInt());
            assertEquals(42, restricted.path("users").path(bob.id()).asInt());
            bob.fails(403, "M_FORBIDDEN", "PUT", "/rooms/" + enc(roomId) + "/send/m.room.message/t1",
                    Map.of("msgtype", "m.text", "body", "still here?"));
        }

        @Test
        void upgraderWithoutPowerForCopiedStateIsRaisedOnlyWhileCopying() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "name", "Raised"));
            bob.join(roomId);
            alice.setState(roomId, "m.room.server_acl", "", Map.of("allow", List.of("*")));
            // bob may send the tombstone (60) but not the server ACL or the power levels (100).
            alice.setState(roomId, "m.room.power_levels", "", Map.of("users", Map.of(alice.id(), 100, bob.id(), 60),
                    "events", Map.of("m.room.tombstone", 60, "m.room.power_levels", 100, "m.room.server_acl", 100)));
            JsonNode before = state(alice, roomId, "m.room.power_levels");
            String replacement = upgrade(bob, roomId, "11");
            assertEquals(List.of("*"), List.of(state(bob, replacement, "m.room.server_acl").path("allow").path(0).asText()));
            assertEquals(before, state(bob, replacement, "m.room.power_levels"));
            // bob could not change the old room's power levels: the upgrade still succeeded.
            assertEquals(before, state(alice, roomId, "m.room.power_levels"));
        }

        @Test
        void bansTheUpgraderCouldNotIssueAreNotCopied() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            TestUser mallory = user("mallory");
            TestUser eve = user("eve");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            mallory.join(roomId);
            eve.join(roomId);
            alice.setState(roomId, "m.room.power_levels", "", Map.of("users", Map.of(alice.id(), 100, bob.id(), 60,
                    mallory.id(), 80), "events", Map.of("m.room.tombstone", 60), "ban", 50));
            alice.ok("POST", "/rooms/" + enc(roomId) + "/ban", Map.of("user_id", mallory.id()));
            alice.ok("POST", "/rooms/" + enc(roomId) + "/ban", Map.of("user_id", eve.id()));
            String replacement = upgrade(bob, roomId, "11");
            assertEquals("ban", bob.ok("GET", "/rooms/" + enc(replacement) + "/state/m.room.member/" + enc(eve.id()),
                    null).path("membership").asText());
            bob.fails(404, "M_NOT_FOUND", "GET", "/rooms/" + enc(replacement) + "/state/m.room.member/"
                    + enc(mallory.id()), null);
        }

        @Test
        void aliasesCanonicalAliasAndDirectoryListingMoveToTheReplacement() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String localpart = "upgrade-" + alice.id().substring(1, alice.id().indexOf(':'));
            String alias = "#" + localpart + ":localhost";
            String roomId = alice.createRoom(Map.of("preset", "public_chat", "room_alias_name", localpart,
                    "visibility", "public"));
            String replacement = upgrade(alice, roomId, "11");
            assertEquals("public", alice.ok("GET", "/directory/list/room/" + enc(replacement), null)
                    .path("visibility").asText());
            assertEquals("private", alice.ok("GET", "/directory/list/room/" + enc(roomId), null)
                    .path("visibility").asText());
            assertEquals(replacement, alice.ok("GET", "/directory/room/" + enc(alias), null).path("room_id").asText());
            assertEquals(alias, state(alice, replacement, "m.room.canonical_alias").path("alias").asText());
            assertFalse(state(alice, roomId, "m.room.canonical_alias").has("alias"));
            assertEquals(replacement, bob.ok("POST", "/join/" + enc(alias), Map.of()).path("room_id").asText());
        }

        @Test
        void membersSeeTheTombstoneInSync() {
            TestUser alice = user("alice");
            TestUser bob = user("bob");
            String roomId = alice.createRoom(Map.of("preset", "public_chat"));
            bob.join(roomId);
            JsonNode first = bob.sync("timeout=0");
            String replacement = upgrade(alice, roomId, "11");
            JsonNode next = bob.syncSince(first);
            JsonNode tombstone = SyncJson.find(SyncJson.timeline(SyncJson.room(next, "join", roomId)),
                    "m.room.tombstone", "").orElseThrow(() -> new AssertionError("no tombstone in " + next));
            assertEquals(replacement, tombstone.path("content").path("replacement_room").asText());
            assertTrue(tombstone.path("content").path("body").isTextual());
            assertSyncMatchesSpec(next);
            assertTrue(SyncJson.room(next, "join", replacement).isMissingNode(), "bob has not joined the replacement");
        }

        @Test
        void serverAclContentIsCheckedAndAnAclDenyingThisServerIsAccepted() {
            TestUser alice = user("alice");
            String roomId = alice.createRoom(Map.of());
            String path = "/rooms/" + enc(roomId) + "/state/m.room.server_acl/";
            alice.fails(400, "M_BAD_JSON", "PUT", path, Map.of("allow", "*"));
            alice.fails(400, "M_BAD_JSON", "PUT", path, Map.of("allow", List.of("*"), "deny", List.of(1)));
            alice.fails(400, "M_BAD_JSON", "PUT", path, Map.of("allow", List.of("*"), "allow_ip_literals", "no"));
            alice.fails(400, "M_BAD_JSON", "POST", "/createRoom", Map.of("initial_state",
                    List.of(Map.of("type", "m.room.server_acl", "state_key", "", "content", Map.of("deny", "x")))));
            // The spec warns that an ACL without allow shuts every server out, but does not forbid it.
            alice.setState(roomId, "m.room.server_acl", "", Map.of("deny", List.of("localhost")));
            assertEquals("localhost", state(alice, roomId, "m.room.server_acl").path("deny").path(0).asText());
        }
    }
}
