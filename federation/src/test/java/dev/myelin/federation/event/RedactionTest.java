package dev.myelin.federation.event;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.json.CanonicalJson;
import org.junit.jupiter.api.Test;

class RedactionTest {
    private static final String TOP = "\"room_id\":\"!r:d\",\"sender\":\"@u:d\",\"origin\":\"d\",\"origin_server_ts\":1,"
            + "\"depth\":2,\"prev_events\":[\"$p\"],\"auth_events\":[\"$a\"],\"hashes\":{\"sha256\":\"h\"},"
            + "\"signatures\":{\"d\":{\"ed25519:1\":\"s\"}},\"unsigned\":{\"age\":1},\"membership\":\"join\","
            + "\"prev_state\":[],\"extra\":true,\"event_id\":\"$e\"";

    private static String redacted(String type, String stateKey, String content, RoomVersion v) {
        String json = "{" + TOP + ",\"type\":\"" + type + "\"" + (stateKey == null ? "" : ",\"state_key\":\"" + stateKey + "\"")
                + ",\"content\":" + content + "}";
        ObjectNode out = Redaction.redact((ObjectNode) CanonicalJson.parse(json), v);
        return CanonicalJson.encodeToString(out.get("content"));
    }

    private static ObjectNode redactTopLevel(RoomVersion v) {
        return Redaction.redact((ObjectNode) CanonicalJson.parse("{" + TOP + ",\"type\":\"m.room.message\",\"content\":{\"body\":\"x\"}}"), v);
    }

    @Test
    void topLevelKeysV10() {
        ObjectNode out = redactTopLevel(RoomVersion.V10);
        assertEquals("[\"auth_events\",\"content\",\"depth\",\"event_id\",\"hashes\",\"membership\",\"origin\","
                + "\"origin_server_ts\",\"prev_events\",\"prev_state\",\"room_id\",\"sender\",\"signatures\",\"type\"]",
                sortedKeys(out));
        assertEquals("{}", CanonicalJson.encodeToString(out.get("content")));
    }

    @Test
    void topLevelKeysV11DropOriginMembershipPrevState() {
        ObjectNode out = redactTopLevel(RoomVersion.V11);
        assertEquals("[\"auth_events\",\"content\",\"depth\",\"event_id\",\"hashes\",\"origin_server_ts\","
                + "\"prev_events\",\"room_id\",\"sender\",\"signatures\",\"type\"]", sortedKeys(out));
    }

    @Test
    void memberContent() {
        String content = "{\"membership\":\"invite\",\"displayname\":\"A\",\"join_authorised_via_users_server\":\"@x:d\","
                + "\"third_party_invite\":{\"display_name\":\"e\",\"signed\":{\"mxid\":\"@u:d\",\"token\":\"t\"}}}";
        assertEquals("{\"join_authorised_via_users_server\":\"@x:d\",\"membership\":\"invite\"}",
                redacted("m.room.member", "@u:d", content, RoomVersion.V10));
        assertEquals("{\"membership\":\"invite\"}", redacted("m.room.member", "@u:d", content, RoomVersion.V8));
        assertEquals("{\"join_authorised_via_users_server\":\"@x:d\",\"membership\":\"invite\","
                + "\"third_party_invite\":{\"signed\":{\"mxid\":\"@u:d\",\"token\":\"t\"}}}",
                redacted("m.room.member", "@u:d", content, RoomVersion.V11));
    }

    @Test
    void createContent() {
        String content = "{\"creator\":\"@u:d\",\"room_version\":\"10\",\"m.federate\":false}";
        assertEquals("{\"creator\":\"@u:d\"}", redacted("m.room.create", "", content, RoomVersion.V10));
        assertEquals("{\"creator\":\"@u:d\",\"m.federate\":false,\"room_version\":\"10\"}",
                redacted("m.room.create", "", content, RoomVersion.V11));
    }

    @Test
    void joinRulesContent() {
        String content = "{\"join_rule\":\"restricted\",\"allow\":[{\"type\":\"m.room_membership\",\"room_id\":\"!s:d\"}],\"x\":1}";
        assertEquals("{\"allow\":[{\"room_id\":\"!s:d\",\"type\":\"m.room_membership\"}],\"join_rule\":\"restricted\"}",
                redacted("m.room.join_rules", "", content, RoomVersion.V10));
        assertEquals("{\"join_rule\":\"restricted\"}", redacted("m.room.join_rules", "", content, RoomVersion.V7));
    }

    @Test
    void powerLevelsContent() {
        String content = "{\"ban\":50,\"events\":{\"m.room.name\":50},\"events_default\":0,\"invite\":0,\"kick\":50,"
                + "\"notifications\":{\"room\":50},\"redact\":50,\"state_default\":50,\"users\":{\"@u:d\":100},\"users_default\":0}";
        assertEquals("{\"ban\":50,\"events\":{\"m.room.name\":50},\"events_default\":0,\"kick\":50,\"redact\":50,"
                + "\"state_default\":50,\"users\":{\"@u:d\":100},\"users_default\":0}",
                redacted("m.room.power_levels", "", content, RoomVersion.V10));
        assertEquals("{\"ban\":50,\"events\":{\"m.room.name\":50},\"events_default\":0,\"invite\":0,\"kick\":50,\"redact\":50,"
                + "\"state_default\":50,\"users\":{\"@u:d\":100},\"users_default\":0}",
                redacted("m.room.power_levels", "", content, RoomVersion.V11));
    }

    @Test
    void otherContent() {
        assertEquals("{\"history_visibility\":\"shared\"}",
                redacted("m.room.history_visibility", "", "{\"history_visibility\":\"shared\",\"x\":1}", RoomVersion.V10));
        assertEquals("{}", redacted("m.room.redaction", null, "{\"redacts\":\"$x\",\"reason\":\"r\"}", RoomVersion.V10));
        assertEquals("{\"redacts\":\"$x\"}", redacted("m.room.redaction", null, "{\"redacts\":\"$x\",\"reason\":\"r\"}", RoomVersion.V11));
        assertEquals("{}", redacted("m.room.aliases", "d", "{\"aliases\":[\"#a:d\"]}", RoomVersion.V10));
        assertEquals("{\"aliases\":[\"#a:d\"]}", redacted("m.room.aliases", "d", "{\"aliases\":[\"#a:d\"]}", RoomVersion.V5));
        assertEquals("{}", redacted("m.room.name", "", "{\"name\":\"n\"}", RoomVersion.V11));
    }

    @Test
    void relationsAreNotKept() {
        String content = "{\"body\":\"* x\",\"m.new_content\":{\"body\":\"x\"},"
                + "\"m.relates_to\":{\"rel_type\":\"m.replace\",\"event_id\":\"$p\"}}";
        for (RoomVersion v : new RoomVersion[] {RoomVersion.V10, RoomVersion.V11}) {
            assertEquals("{}", redacted("m.room.message", null, content, v));
            assertEquals("{}", redacted("m.reaction", null,
                    "{\"m.relates_to\":{\"rel_type\":\"m.annotation\",\"event_id\":\"$p\",\"key\":\"k\"}}", v));
        }
    }

    @Test
    void doesNotModifyInput() {
        ObjectNode in = (ObjectNode) CanonicalJson.parse("{\"type\":\"m.room.message\",\"content\":{\"body\":\"x\"},\"extra\":1}");
        String before = CanonicalJson.encodeToString(in);
        Redaction.redact(in, RoomVersion.V11);
        assertEquals(before, CanonicalJson.encodeToString(in));
    }

    private static String sortedKeys(ObjectNode node) {
        java.util.List<String> keys = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        java.util.Collections.sort(keys);
        return keys.stream().map(k -> "\"" + k + "\"").collect(java.util.stream.Collectors.joining(",", "[", "]"));
    }
}
