package dev.myelin.homeserver.api.client;

import static dev.myelin.homeserver.testing.TestUser.enc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.testing.ServerPerClass;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Joining, leaving, kicking, banning and power levels over HTTP: who may do what in a room. */
class MembershipAndPowerTest extends ServerPerClass {
    private static final Map<String, String> TEXT = Map.of("msgtype", "m.text", "body", "hi");

    MembershipAndPowerTest() {
        super(TestServer::sqlite);
    }

    @Test
    void joinByAliasOfANewRoom() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String roomId = alice.createRoom(Map.of("preset", "public_chat", "room_alias_name", "club"));
        String alias = "#club:localhost";
        assertEquals(roomId, bob.ok("POST", "/join/" + enc(alias), Map.of()).path("room_id").asText());
        assertEquals("join", membership(alice, roomId, bob));
        assertEquals(alias, state(alice, roomId, "m.room.canonical_alias", "").path("alias").asText());
        bob.fails(404, "M_NOT_FOUND", "POST", "/join/" + enc("#no-such-alias:localhost"), Map.of());
    }

    @Test
    void privateRoomRefusesUninvitedJoinsAndPublicRoomAllowsThem() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String privateRoom = alice.createRoom(Map.of("preset", "private_chat"));
        bob.fails(403, "M_FORBIDDEN", "POST", "/rooms/" + enc(privateRoom) + "/join", Map.of());
        alice.membership("invite", privateRoom, bob);
        bob.join(privateRoom);
        assertEquals("join", membership(alice, privateRoom, bob));
        String publicRoom = alice.createRoom(Map.of("preset", "public_chat"));
        bob.join(publicRoom);
        assertEquals("join", membership(alice, publicRoom, bob));
    }

    @Test
    void kickingNeedsPower() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        TestUser carol = user("carol");
        String roomId = publicRoomWith(alice, bob, carol);
        bob.fails(403, "M_FORBIDDEN", "POST", "/rooms/" + enc(roomId) + "/kick", Map.of("user_id", carol.id()));
        assertEquals("join", membership(alice, roomId, carol));
        alice.membership("kick", roomId, carol);
        assertEquals("leave", membership(alice, roomId, carol));
    }

    @Test
    void bannedUserCannotJoinUntilUnbanned() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String roomId = publicRoomWith(alice, bob);
        alice.membership("ban", roomId, bob);
        assertEquals("ban", membership(alice, roomId, bob));
        bob.fails(403, "M_FORBIDDEN", "POST", "/join/" + enc(roomId), Map.of());
        bob.fails(403, "M_FORBIDDEN", "POST", "/rooms/" + enc(roomId) + "/unban", Map.of("user_id", bob.id()));
        alice.membership("unban", roomId, bob);
        assertEquals("leave", membership(alice, roomId, bob));
        bob.join(roomId);
        assertEquals("join", membership(alice, roomId, bob));
    }

    @Test
    void forgetOnlyAfterLeaving() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String roomId = publicRoomWith(alice, bob);
        bob.fails(400, "M_UNKNOWN", "POST", "/rooms/" + enc(roomId) + "/forget", Map.of());
        bob.leave(roomId);
        bob.ok("POST", "/rooms/" + enc(roomId) + "/forget", Map.of());
        JsonNode archive = bob.sync("filter=" + enc("{\"room\":{\"include_leave\":true}}"));
        assertTrue(archive.path("rooms").path("leave").path(roomId).isMissingNode(), "a forgotten room is not listed");
        String never = alice.createRoom(Map.of());
        bob.fails(404, "M_NOT_FOUND", "POST", "/rooms/" + enc(never) + "/forget", Map.of());
    }

    @Test
    void invitingAnUnknownLocalUserIsNotFound() {
        TestUser alice = user("alice");
        String roomId = alice.createRoom(Map.of());
        alice.fails(404, "M_NOT_FOUND", "POST", "/rooms/" + enc(roomId) + "/invite",
                Map.of("user_id", "@nobody-here:localhost"));
        alice.fails(404, "M_NOT_FOUND", "POST", "/createRoom", Map.of("invite", List.of("@nobody-here:localhost")));
    }

    @Test
    void powerLevelContentOverrideIsApplied() {
        TestUser alice = user("alice");
        String roomId = alice.createRoom(Map.of("power_level_content_override",
                Map.of("kick", 75, "events_default", 10, "events", Map.of("m.room.topic", 0))));
        JsonNode levels = state(alice, roomId, "m.room.power_levels", "");
        assertEquals(75, levels.path("kick").asInt());
        assertEquals(10, levels.path("events_default").asInt());
        assertEquals(0, levels.path("events").path("m.room.topic").asInt(-1));
        assertFalse(levels.path("events").has("m.room.name"), "override replaces the events map");
        assertEquals(100, levels.path("users").path(alice.id()).asInt());
        assertEquals(50, levels.path("ban").asInt(), "keys not overridden keep their defaults");
    }

    @Test
    void trustedPrivateChatInviteesGetFullPower() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String roomId = alice.createRoom(Map.of("preset", "trusted_private_chat", "invite", List.of(bob.id())));
        JsonNode users = state(alice, roomId, "m.room.power_levels", "").path("users");
        assertEquals(100, users.path(bob.id()).asInt());
        assertEquals(100, users.path(alice.id()).asInt());
        assertEquals("invite", membership(alice, roomId, bob));
        String privateRoom = alice.createRoom(Map.of("preset", "private_chat", "invite", List.of(bob.id())));
        assertTrue(state(alice, privateRoom, "m.room.power_levels", "").path("users").path(bob.id()).isMissingNode());
    }

    @Test
    void roomVersion11HasNoCreatorInItsCreateEvent() {
        TestUser alice = user("alice");
        String roomId = alice.createRoom(Map.of("room_version", "11"));
        JsonNode create = state(alice, roomId, "m.room.create", "");
        assertEquals("11", create.path("room_version").asText());
        assertFalse(create.has("creator"), create.toString());
        alice.sendEvent(roomId, "m.room.message", "v11", TEXT);
        String v10 = alice.createRoom(Map.of("room_version", "10"));
        assertEquals(alice.id(), state(alice, v10, "m.room.create", "").path("creator").asText());
    }

    @Test
    void unsupportedRoomVersionsAreRefused() {
        TestUser alice = user("alice");
        for (String version : List.of("1", "9999", "")) {
            alice.fails(400, "M_UNSUPPORTED_ROOM_VERSION", "POST", "/createRoom", Map.of("room_version", version));
        }
    }

    @Test
    void sendingToARoomYouAreNotInIsForbidden() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String roomId = alice.createRoom(Map.of("preset", "public_chat"));
        String path = "/rooms/" + enc(roomId) + "/send/m.room.message/out1";
        bob.fails(403, "M_FORBIDDEN", "PUT", path, TEXT);
        bob.join(roomId);
        bob.leave(roomId);
        bob.fails(403, "M_FORBIDDEN", "PUT", "/rooms/" + enc(roomId) + "/send/m.room.message/out2", TEXT);
    }

    @Test
    void stateEventsNeedStateDefaultPower() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String roomId = publicRoomWith(alice, bob);
        String topic = "/rooms/" + enc(roomId) + "/state/m.room.topic/";
        bob.fails(403, "M_FORBIDDEN", "PUT", topic, Map.of("topic", "mine now"));
        bob.fails(403, "M_FORBIDDEN", "PUT", "/rooms/" + enc(roomId) + "/state/org.example.custom/x", Map.of("a", 1));
        bob.sendEvent(roomId, "m.room.message", "allowed", TEXT);
        alice.ok("PUT", topic, Map.of("topic", "set by alice"));
        assertEquals("set by alice", state(alice, roomId, "m.room.topic", "").path("topic").asText());
    }

    @Test
    void displaynameChangeIsAnnouncedInJoinedRoomsOnly() {
        TestUser alice = user("alice");
        TestUser bob = user("bob");
        String first = alice.createRoom(Map.of("preset", "public_chat"));
        String second = alice.createRoom(Map.of());
        String left = alice.createRoom(Map.of("preset", "public_chat"));
        bob.join(left);
        alice.leave(left);
        String before = alice.ok("GET", "/rooms/" + enc(first) + "/state/m.room.member/" + enc(alice.id()), null)
                .path("displayname").asText();
        alice.ok("PUT", "/profile/" + enc(alice.id()) + "/displayname", Map.of("displayname", "Alice Renamed"));
        for (String roomId : List.of(first, second)) {
            assertEquals("Alice Renamed", state(alice, roomId, "m.room.member", alice.id()).path("displayname").asText());
            JsonNode latest = alice.ok("GET", "/rooms/" + enc(roomId) + "/messages?dir=b&limit=1", null).path("chunk")
                    .get(0);
            assertEquals("m.room.member", latest.path("type").asText());
            assertEquals("join", latest.path("content").path("membership").asText());
            assertEquals(before, latest.path("unsigned").path("prev_content").path("displayname").asText());
        }
        JsonNode stillLeft = state(bob, left, "m.room.member", alice.id());
        assertEquals("leave", stillLeft.path("membership").asText());
        assertFalse("Alice Renamed".equals(stillLeft.path("displayname").asText(null)));
    }

    private static String publicRoomWith(TestUser owner, TestUser... members) {
        String roomId = owner.createRoom(Map.of("preset", "public_chat"));
        for (TestUser member : members) {
            member.join(roomId);
        }
        return roomId;
    }

    private static JsonNode state(TestUser viewer, String roomId, String type, String stateKey) {
        return viewer.ok("GET", "/rooms/" + enc(roomId) + "/state/" + enc(type) + "/" + enc(stateKey), null);
    }

    private static String membership(TestUser viewer, String roomId, TestUser member) {
        return state(viewer, roomId, "m.room.member", member.id()).path("membership").asText();
    }
}
