package dev.myelin.homeserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.JsonSignatures;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.EventIds;
import dev.myelin.federation.event.EventSigning;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.keys.ServerKeyDocument;
import dev.myelin.federation.transport.XMatrixAuth;
import dev.myelin.homeserver.service.ServerKeys;
import dev.myelin.homeserver.testing.TestDatabases;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The Server-Server API endpoints one by one, spoken to directly over TLS as another server
 * would: key publication and the notary, version, joining (make_join / send_join v2), invites,
 * room history reads and queries, with what they answer to malformed or unauthorised input.
 * Server one (SQLite) plays the remote server: requests are signed with its key from its data
 * directory and sent to server two (SQLite), which holds the room. Successful responses, and
 * error responses where the document gives a schema for them, are validated against
 * {@code server-server.json}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FederationEndpointsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String V1 = "/_matrix/federation/v1";
    private static final String V2 = "/_matrix/federation/v2";

    private final ServerServerSchemas spec = ServerServerSchemas.get();
    private TestServer one;
    private TestServer two;
    private ServerName oneName;
    private ServerName twoName;
    private SigningKey oneKey;
    private SigningKey twoKey;
    private HttpClient http;

    /** Server two's resident user, with a public, published room that has an alias. */
    private TestUser bob;
    private String roomId;
    private String roomAlias;
    /** Server one's user joined to that room through make_join / send_join, once, on first need. */
    private Joined joined;

    /** A response: status, raw text and the parsed body (null when it is not JSON). */
    record Reply(int status, String text, JsonNode json) {
        @Override
        public String toString() {
            return status + " " + text;
        }
    }

    /** What joining server one's user to the room returned. */
    record Joined(String userId, Reply makeJoin, Pdu join, Reply sendJoin) {
    }

    @BeforeAll
    void start() throws Exception {
        Path dirOne = TestDatabases.tempDir("myelin-fedep-one");
        Path dirTwo = TestDatabases.tempDir("myelin-fedep-two");
        one = TestServer.federated(dirOne, TestDatabases.freshSqlite(dirOne), TestServer.freePort(), true);
        two = TestServer.federated(dirTwo, TestDatabases.freshSqlite(dirTwo), TestServer.freePort(), true);
        oneName = new ServerName("localhost:" + one.federationPort());
        twoName = new ServerName("localhost:" + two.federationPort());
        oneKey = ServerKeys.loadOrGenerate(one.dataDir());
        twoKey = ServerKeys.loadOrGenerate(two.dataDir());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(null, new TrustManager[] {new X509TrustManager() {
            public void checkClientTrusted(X509Certificate[] chain, String authType) { }
            public void checkServerTrusted(X509Certificate[] chain, String authType) { }
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        http = HttpClient.newBuilder().sslContext(tls).connectTimeout(Duration.ofSeconds(10)).build();

        bob = TestUser.register(two, "bob");
        bob.ok("PUT", "/profile/" + TestUser.enc(bob.id()) + "/displayname", Map.of("displayname", "Bob Two"));
        String aliasName = "fedep-" + System.nanoTime();
        roomId = bob.createRoom(Map.of("preset", "public_chat", "visibility", "public", "name", "Endpoints",
                "room_alias_name", aliasName));
        roomAlias = "#" + aliasName + ":" + twoName.value();
        bob.say(roomId, "before anyone from one");
    }

    @AfterAll
    void stop() {
        if (one != null) {
            one.close();
        }
        if (two != null) {
            two.close();
        }
    }

    // ---------------------------------------------------------------- keys

    @Test
    void eachServerPublishesItsOwnSignedKeys() throws Exception {
        for (TestServer server : List.of(one, two)) {
            ServerName name = new ServerName("localhost:" + server.federationPort());
            SigningKey key = ServerKeys.loadOrGenerate(server.dataDir());
            Reply reply = send(server, "GET", "/_matrix/key/v2/server", null, null);
            assertEquals(200, reply.status(), reply.toString());
            JsonNode doc = reply.json();
            assertEquals(name.value(), doc.path("server_name").asText(), doc.toString());
            assertEquals(key.publicKeyBase64(), doc.path("verify_keys").path(key.keyId()).path("key").asText(),
                    doc.toString());
            long validUntil = doc.path("valid_until_ts").asLong();
            assertTrue(validUntil > System.currentTimeMillis(), "valid_until_ts in the future: " + doc);
            var verified = ServerKeyDocument.verify(name, (ObjectNode) doc);
            assertEquals(validUntil, verified.validUntilTs());
            assertTrue(JsonSignatures.verify((ObjectNode) doc, name.value(), key.keyId(), key.publicKey()), doc.toString());
            assertValid("/_matrix/key/v2/server", "GET", reply);
        }
    }

    @Test
    void theNotaryServesAnotherServersKeysSignedByBoth() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("server_keys").putObject(oneName.value());
        Reply reply = send(two, "POST", "/_matrix/key/v2/query", body, null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid("/_matrix/key/v2/query", "POST", reply);
        assertNotaryDocument(reply.json().path("server_keys"));

        // With criteria naming the key and a minimum validity already met.
        ObjectNode criteria = JSON.createObjectNode();
        criteria.putObject("server_keys").putObject(oneName.value()).putObject(oneKey.keyId())
                .put("minimum_valid_until_ts", System.currentTimeMillis());
        Reply withCriteria = send(two, "POST", "/_matrix/key/v2/query", criteria, null);
        assertEquals(200, withCriteria.status(), withCriteria.toString());
        assertValid("/_matrix/key/v2/query", "POST", withCriteria);
        assertNotaryDocument(withCriteria.json().path("server_keys"));
    }

    @Test
    void theNotaryServesKeysByServerName() throws Exception {
        Reply reply = send(two, "GET", "/_matrix/key/v2/query/" + enc(oneName.value()), null, null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid("/_matrix/key/v2/query/{serverName}", "GET", reply);
        assertNotaryDocument(reply.json().path("server_keys"));
    }

    @Test
    void theNotaryAnswersAnEmptyQueryWithNoKeys() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putObject("server_keys");
        Reply reply = send(two, "POST", "/_matrix/key/v2/query", body, null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid("/_matrix/key/v2/query", "POST", reply);
        assertEquals(0, reply.json().path("server_keys").size(), reply.toString());
    }

    @Test
    void theNotaryRefusesAQueryWhoseServerKeysIsNotAnObject() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("server_keys").add(oneName.value());
        assertMatrixError(send(two, "POST", "/_matrix/key/v2/query", body, null), 400, "M_BAD_JSON");
    }

    /** One key document of server one, signed by server one and by server two as notary. */
    private void assertNotaryDocument(JsonNode serverKeys) {
        assertEquals(1, serverKeys.size(), serverKeys.toString());
        ObjectNode doc = (ObjectNode) serverKeys.get(0);
        assertEquals(oneName.value(), doc.path("server_name").asText(), doc.toString());
        assertEquals(oneKey.publicKeyBase64(), doc.path("verify_keys").path(oneKey.keyId()).path("key").asText());
        assertTrue(doc.path("valid_until_ts").asLong() > System.currentTimeMillis(), doc.toString());
        ServerKeyDocument.verify(oneName, doc);
        assertTrue(JsonSignatures.verify(doc, oneName.value(), oneKey.keyId(), oneKey.publicKey()),
                "signed by server one: " + doc);
        assertTrue(JsonSignatures.verify(doc, twoName.value(), twoKey.keyId(), twoKey.publicKey()),
                "signed by the notary, server two: " + doc);
    }

    // ---------------------------------------------------------------- version

    @Test
    void versionNamesTheImplementation() throws Exception {
        Reply reply = send(two, "GET", V1 + "/version", null, null);
        assertEquals(200, reply.status(), reply.toString());
        JsonNode server = reply.json().path("server");
        assertTrue(server.path("name").isTextual() && !server.path("name").asText().isEmpty(), reply.toString());
        assertTrue(server.path("version").isTextual() && !server.path("version").asText().isEmpty(), reply.toString());
        assertValid(V1 + "/version", "GET", reply);
    }

    // ---------------------------------------------------------------- transactions

    @Test
    void aTransactionWhoseBodyIsNotJsonIsRefused() throws Exception {
        String uri = V1 + "/send/notjson-" + System.nanoTime();
        String header = XMatrixAuth.sign(oneKey, oneName, twoName, "PUT", uri, null).header();
        assertMatrixError(sendRaw(two, "PUT", uri, "this is {not json", header), 400, "M_NOT_JSON");
    }

    @Test
    void aTransactionWhosePdusIsNotAnArrayIsRefused() throws Exception {
        ObjectNode txn = transaction();
        txn.put("pdus", "not an array");
        assertMatrixError(signed("PUT", V1 + "/send/notarray-" + System.nanoTime(), txn), 400, "M_BAD_JSON");
    }

    @Test
    void aTransactionWhoseEdusIsNotAnArrayIsRefused() throws Exception {
        ObjectNode txn = transaction();
        txn.putObject("edus").put("edu_type", "m.typing");
        assertMatrixError(signed("PUT", V1 + "/send/edusobject-" + System.nanoTime(), txn), 400, "M_BAD_JSON");
    }

    @Test
    void aTransactionOfMoreThanFiftyPdusIsRefused() throws Exception {
        ObjectNode txn = transaction();
        ArrayNode pdus = (ArrayNode) txn.get("pdus");
        for (int i = 0; i < 51; i++) {
            pdus.addObject().put("room_id", roomId).put("type", "m.room.message").put("n", i);
        }
        assertMatrixError(signed("PUT", V1 + "/send/toomany-" + System.nanoTime(), txn), 400, "M_BAD_JSON");
    }

    @Test
    void garbagePdusAreReportedPerPduNeverFailingTheTransaction() throws Exception {
        ObjectNode txn = transaction();
        ArrayNode pdus = (ArrayNode) txn.get("pdus");
        pdus.add("not even an object");
        pdus.addObject().put("room_id", roomId).put("type", 42).put("depth", "deep");
        pdus.addObject().put("event_id", "$garbage-" + System.nanoTime()).put("room_id", "!unknown:elsewhere.example")
                .put("type", "m.room.message");
        Reply reply = signed("PUT", V1 + "/send/garbage-" + System.nanoTime(), txn);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/send/{txnId}", "PUT", reply);
        JsonNode results = reply.json().path("pdus");
        assertTrue(results.isObject() && results.size() >= 1, reply.toString());
        results.forEach(entry -> assertTrue(entry.path("error").isTextual(), "an error per garbage PDU: " + reply));
        assertNoStackTrace(reply);
    }

    @Test
    void unknownAndMalformedEdusAreAcceptedAndIgnored() throws Exception {
        ObjectNode txn = transaction();
        ArrayNode edus = txn.putArray("edus");
        edus.addObject().put("edu_type", "org.example.unknown").putObject("content").put("x", 1);
        edus.addObject().put("edu_type", "m.typing").put("content", "nonsense");
        edus.addObject().put("edu_type", "m.receipt").putArray("content");
        edus.add(7);
        Reply reply = signed("PUT", V1 + "/send/edus-" + System.nanoTime(), txn);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/send/{txnId}", "PUT", reply);
        assertEquals(0, reply.json().path("pdus").size(), reply.toString());
    }

    @Test
    void aTransactionWhoseBodyIsAJsonArrayIsRefused() throws Exception {
        String uri = V1 + "/send/array-" + System.nanoTime();
        JsonNode array = JSON.createArrayNode().add(1);
        String header = XMatrixAuth.sign(oneKey, oneName, twoName, "PUT", uri, array).header();
        assertMatrixError(sendRaw(two, "PUT", uri, "[1]", header), 400, "M_BAD_JSON", "M_NOT_JSON");
    }

    @Test
    void theNotaryRefusesAnInvalidServerName() throws Exception {
        assertMatrixError(send(two, "GET", "/_matrix/key/v2/query/" + enc("not a server name!"), null, null), 400,
                "M_INVALID_PARAM");
    }

    // ---------------------------------------------------------------- make_join / send_join

    @Test
    void makeJoinGivesATemplateForTheRoomsVersion() {
        Joined j = joined();
        Reply reply = j.makeJoin();
        assertEquals(200, reply.status(), reply.toString());
        JsonNode event = reply.json().path("event");
        assertEquals("10", reply.json().path("room_version").asText(), reply.toString());
        assertEquals("m.room.member", event.path("type").asText());
        assertEquals(j.userId(), event.path("state_key").asText());
        assertEquals(j.userId(), event.path("sender").asText());
        assertEquals(roomId, event.path("room_id").asText());
        assertEquals("join", event.path("content").path("membership").asText());
        assertFalse(event.path("prev_events").isEmpty(), reply.toString());
        assertFalse(event.path("auth_events").isEmpty(), reply.toString());
    }

    @Test
    void makeJoinResponseMatchesTheSchema() {
        assertValid(V1 + "/make_join/{roomId}/{userId}", "GET", joined().makeJoin());
    }

    @Test
    void sendJoinAcceptsTheJoinAndReturnsTheRoomsState() {
        Joined j = joined();
        Reply reply = j.sendJoin();
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V2 + "/send_join/{roomId}/{eventId}", "PUT", reply);
        JsonNode body = reply.json();
        assertEquals(twoName.value(), body.path("origin").asText(), reply.toString());
        List<String> stateTypes = new ArrayList<>();
        body.path("state").forEach(e -> stateTypes.add(e.path("type").asText()));
        assertTrue(stateTypes.containsAll(List.of("m.room.create", "m.room.power_levels", "m.room.join_rules")),
                stateTypes.toString());
        assertFalse(body.path("auth_chain").isEmpty(), reply.toString());
        assertTrue(body.path("servers_in_room").toString().contains("\"" + twoName.value() + "\""), reply.toString());
        JsonNode members = bob.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/joined_members", null).path("joined");
        assertTrue(members.has(j.userId()), members.toString());
    }

    @Test
    void makeJoinForAnUnknownRoomIsNotFound() throws Exception {
        String unknown = "!nosuchroom" + System.nanoTime() + ":" + twoName.value();
        Reply reply = signed("GET", V1 + "/make_join/" + enc(unknown) + "/" + enc(oneUser("nobody"))
                + "?ver=10&ver=11", null);
        assertMatrixError(reply, 404, "M_NOT_FOUND");
        assertValid(V1 + "/make_join/{roomId}/{userId}", "GET", reply);
    }

    @Test
    void makeJoinWithoutTheRoomsVersionIsIncompatible() throws Exception {
        Reply reply = signed("GET", V1 + "/make_join/" + enc(roomId) + "/" + enc(oneUser("oldserver"))
                + "?ver=1&ver=2", null);
        assertMatrixError(reply, 400, "M_INCOMPATIBLE_ROOM_VERSION");
        assertEquals("10", reply.json().path("room_version").asText(), reply.toString());
        assertValid(V1 + "/make_join/{roomId}/{userId}", "GET", reply);
    }

    @Test
    void makeJoinWithoutVerMeansVersionOneOnly() throws Exception {
        Reply reply = signed("GET", V1 + "/make_join/" + enc(roomId) + "/" + enc(oneUser("nover")), null);
        assertMatrixError(reply, 400, "M_INCOMPATIBLE_ROOM_VERSION");
        assertEquals("10", reply.json().path("room_version").asText(), reply.toString());
    }

    @Test
    void makeJoinForAUserOfAnotherServerIsForbidden() throws Exception {
        String elsewhere = "@mallory:" + twoName.value();
        Reply reply = signed("GET", V1 + "/make_join/" + enc(roomId) + "/" + enc(elsewhere) + "?ver=10", null);
        assertMatrixError(reply, 403, "M_FORBIDDEN");
        assertValid(V1 + "/make_join/{roomId}/{userId}", "GET", reply);
    }

    @Test
    void sendJoinWhoseEventIdIsNotThePathsIsRefused() throws Exception {
        String user = oneUser("mismatch");
        Reply template = signed("GET", V1 + "/make_join/" + enc(roomId) + "/" + enc(user) + "?ver=10&ver=11", null);
        assertEquals(200, template.status(), template.toString());
        Pdu join = completeJoin(template.json(), user);
        String otherId = "$" + "A".repeat(43);
        Reply reply = signed("PUT", V2 + "/send_join/" + enc(roomId) + "/" + enc(otherId), join.json());
        assertMatrixError(reply, 400, "M_BAD_JSON", "M_INVALID_PARAM");
        assertValid(V2 + "/send_join/{roomId}/{eventId}", "PUT", reply);
        JsonNode members = bob.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/joined_members", null).path("joined");
        assertFalse(members.has(user), members.toString());
    }

    @Test
    void makeJoinForAMalformedUserIdIsInvalid() throws Exception {
        assertMatrixError(signed("GET", V1 + "/make_join/" + enc(roomId) + "/not-a-user?ver=10", null), 400,
                "M_INVALID_PARAM");
    }

    @Test
    void sendJoinOfSomethingThatIsNotAnEventIsRefused() throws Exception {
        ObjectNode body = JSON.createObjectNode().put("type", "m.room.member");
        Reply reply = signed("PUT", V2 + "/send_join/" + enc(roomId) + "/" + enc("$" + "B".repeat(43)), body);
        assertMatrixError(reply, 400, "M_BAD_JSON", "M_INVALID_PARAM");
        assertValid(V2 + "/send_join/{roomId}/{eventId}", "PUT", reply);
    }

    /** A join built for one room, sent to another room's send_join with its own (correct) event ID. */
    @Test
    void sendJoinOfAnEventOfAnotherRoomIsRefused() throws Exception {
        String target = bob.createRoom(Map.of("preset", "public_chat"));
        String source = bob.createRoom(Map.of("preset", "public_chat"));
        String user = oneUser("crossroom");
        Reply template = signed("GET", V1 + "/make_join/" + enc(source) + "/" + enc(user) + "?ver=10", null);
        assertEquals(200, template.status(), template.toString());
        Pdu join = completeJoin(template.json(), user, source);
        Reply reply = signed("PUT", V2 + "/send_join/" + enc(target) + "/" + enc(join.eventId().value()), join.json());
        assertMatrixError(reply, 400, "M_BAD_JSON", "M_INVALID_PARAM");
        JsonNode members = bob.ok("GET", "/rooms/" + TestUser.enc(target) + "/joined_members", null).path("joined");
        assertFalse(members.has(user), members.toString());
    }

    // ---------------------------------------------------------------- invites

    @Test
    void anInviteInAnUnsupportedRoomVersionIsIncompatible() throws Exception {
        Invite invite = invite(bob.id());
        ObjectNode body = invite.body();
        body.put("room_version", "999-not-a-version");
        Reply reply = signed("PUT", V2 + "/invite/" + enc(invite.roomId()) + "/" + enc(invite.eventId().value()),
                body);
        assertMatrixError(reply, 400, "M_INCOMPATIBLE_ROOM_VERSION");
        assertValid(V2 + "/invite/{roomId}/{eventId}", "PUT", reply);
    }

    @Test
    void anInviteForAnUnknownLocalUserIsNotFound() throws Exception {
        Invite invite = invite("@nobody-" + System.nanoTime() + ":" + twoName.value());
        Reply reply = signed("PUT", V2 + "/invite/" + enc(invite.roomId()) + "/" + enc(invite.eventId().value()),
                invite.body());
        assertMatrixError(reply, 404, "M_NOT_FOUND");
    }

    @Test
    void anInviteForAKnownUserIsCountersigned() throws Exception {
        Invite invite = invite(bob.id());
        Reply reply = signed("PUT", V2 + "/invite/" + enc(invite.roomId()) + "/" + enc(invite.eventId().value()),
                invite.body());
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V2 + "/invite/{roomId}/{eventId}", "PUT", reply);
        ObjectNode event = (ObjectNode) reply.json().path("event");
        assertTrue(EventSigning.verify(event, RoomVersion.V10, twoName.value(), twoKey.keyId(), twoKey.publicKey()),
                "countersigned by server two: " + event);
        assertTrue(EventSigning.verify(event, RoomVersion.V10, oneName.value(), oneKey.keyId(), oneKey.publicKey()),
                "server one's signature kept: " + event);
        assertEquals(invite.eventId().value(), EventIds.compute(event.deepCopy(),
                RoomVersion.V10).value(), "the same event: " + event);
        assertTrue(event.path("signatures").has(oneName.value()), event.toString());
    }

    @Test
    void anInviteWithoutAnEventIsRefused() throws Exception {
        ObjectNode body = JSON.createObjectNode().put("room_version", "10");
        body.putArray("invite_room_state");
        String room = "!noevent" + System.nanoTime() + ":" + oneName.value();
        Reply reply = signed("PUT", V2 + "/invite/" + enc(room) + "/" + enc("$" + "C".repeat(43)), body);
        assertMatrixError(reply, 400, "M_BAD_JSON", "M_MISSING_PARAM", "M_INVALID_PARAM");
        assertValid(V2 + "/invite/{roomId}/{eventId}", "PUT", reply);
    }

    // ---------------------------------------------------------------- room history

    @Test
    void eventReturnsTheEventAsATransaction() throws Exception {
        Joined j = joined();
        Reply reply = signed("GET", V1 + "/event/" + enc(j.join().eventId().value()), null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/event/{eventId}", "GET", reply);
        assertEquals(twoName.value(), reply.json().path("origin").asText());
        assertEquals(1, reply.json().path("pdus").size(), reply.toString());
        assertEquals(j.join().json().path("content"), reply.json().path("pdus").get(0).path("content"));
    }

    @Test
    void anUnknownEventIsNotFound() throws Exception {
        joined();
        Reply reply = signed("GET", V1 + "/event/" + enc("$unknown" + System.nanoTime()), null);
        assertMatrixError(reply, 404, "M_NOT_FOUND");
    }

    @Test
    void stateIdsGivesTheStateBeforeTheEvent() throws Exception {
        Joined j = joined();
        Reply reply = signed("GET", V1 + "/state_ids/" + enc(roomId) + "?event_id=" + enc(j.join().eventId().value()),
                null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/state_ids/{roomId}", "GET", reply);
        assertFalse(reply.json().path("pdu_ids").isEmpty(), reply.toString());
        assertFalse(reply.json().path("pdu_ids").toString().contains(j.join().eventId().value()),
                "the state before the join does not hold it: " + reply);
        assertFalse(reply.json().path("auth_chain_ids").isEmpty(), reply.toString());
    }

    @Test
    void stateAndEventAuthValidate() throws Exception {
        Joined j = joined();
        String id = enc(j.join().eventId().value());
        Reply state = signed("GET", V1 + "/state/" + enc(roomId) + "?event_id=" + id, null);
        assertEquals(200, state.status(), state.toString());
        assertValid(V1 + "/state/{roomId}", "GET", state);
        Reply auth = signed("GET", V1 + "/event_auth/" + enc(roomId) + "/" + id, null);
        assertEquals(200, auth.status(), auth.toString());
        assertValid(V1 + "/event_auth/{roomId}/{eventId}", "GET", auth);
        assertFalse(auth.json().path("auth_chain").isEmpty(), auth.toString());
    }

    @Test
    void stateIdsWithoutAnEventIdIsAMissingParameter() throws Exception {
        joined();
        assertMatrixError(signed("GET", V1 + "/state_ids/" + enc(roomId), null), 400, "M_MISSING_PARAM");
    }

    @Test
    void stateIdsAtAnUnknownEventIsNotFound() throws Exception {
        joined();
        Reply reply = signed("GET", V1 + "/state_ids/" + enc(roomId) + "?event_id=" + enc("$nope" + System.nanoTime()),
                null);
        assertMatrixError(reply, 404, "M_NOT_FOUND");
        assertValid(V1 + "/state_ids/{roomId}", "GET", reply);
    }

    @Test
    void backfillPagesBackFromTheGivenEvents() throws Exception {
        Joined j = joined();
        Reply reply = signed("GET", V1 + "/backfill/" + enc(roomId) + "?v=" + enc(j.join().eventId().value())
                + "&limit=5", null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/backfill/{roomId}", "GET", reply);
        JsonNode pdus = reply.json().path("pdus");
        assertEquals(5, pdus.size(), reply.toString());
        assertEquals(j.join().json().path("content"), pdus.get(0).path("content"), "starts with the given event");
    }

    @Test
    void backfillFromAMalformedEventIdIsInvalid() throws Exception {
        joined();
        assertMatrixError(signed("GET", V1 + "/backfill/" + enc(roomId) + "?v=not-an-event-id&limit=5", null),
                400, "M_INVALID_PARAM");
    }

    @Test
    void getMissingEventsReturnsTheGap() throws Exception {
        Joined j = joined();
        ObjectNode body = JSON.createObjectNode();
        body.putArray("latest_events").add(j.join().eventId().value());
        body.putArray("earliest_events");
        body.put("limit", 3);
        Reply reply = signed("POST", V1 + "/get_missing_events/" + enc(roomId), body);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/get_missing_events/{roomId}", "POST", reply);
        assertEquals(3, reply.json().path("events").size(), reply.toString());
    }

    @Test
    void getMissingEventsWithMalformedEventIdsIsInvalid() throws Exception {
        joined();
        ObjectNode body = JSON.createObjectNode();
        body.putArray("latest_events").add("not-an-event-id");
        body.putArray("earliest_events");
        Reply reply = signed("POST", V1 + "/get_missing_events/" + enc(roomId), body);
        assertMatrixError(reply, 400, "M_INVALID_PARAM", "M_BAD_JSON");
    }

    @Test
    void backfillWithoutVIsAMissingParameter() throws Exception {
        joined();
        assertMatrixError(signed("GET", V1 + "/backfill/" + enc(roomId) + "?limit=5", null), 400, "M_MISSING_PARAM");
    }

    @Test
    void backfillWithANonIntegerLimitIsInvalid() throws Exception {
        Joined j = joined();
        assertMatrixError(signed("GET", V1 + "/backfill/" + enc(roomId) + "?v=" + enc(j.join().eventId().value())
                + "&limit=lots", null), 400, "M_INVALID_PARAM");
    }

    @Test
    void historyOfARoomWithoutAMemberOfTheOriginIsForbidden() throws Exception {
        String other = bob.createRoom(Map.of("preset", "public_chat"));
        String lastId = bob.say(other, "nothing for server one");
        Reply reply = signed("GET", V1 + "/state_ids/" + enc(other) + "?event_id=" + enc(lastId), null);
        assertMatrixError(reply, 403, "M_FORBIDDEN");
        assertValid(V1 + "/state_ids/{roomId}", "GET", reply);
        assertMatrixError(signed("GET", V1 + "/event/" + enc(lastId), null), 403, "M_FORBIDDEN");
        assertMatrixError(signed("GET", V1 + "/backfill/" + enc(other) + "?v=" + enc(lastId) + "&limit=5", null),
                403, "M_FORBIDDEN");
    }

    @Test
    void getMissingEventsInAnUnknownRoomIsNotFound() throws Exception {
        ObjectNode body = JSON.createObjectNode();
        body.putArray("latest_events").add("$whatever");
        body.putArray("earliest_events");
        assertMatrixError(signed("POST", V1 + "/get_missing_events/" + enc("!nosuch" + System.nanoTime() + ":"
                + twoName.value()), body), 404, "M_NOT_FOUND");
    }

    // ---------------------------------------------------------------- queries

    @Test
    void profileQueryOfALocalUser() throws Exception {
        Reply reply = signed("GET", V1 + "/query/profile?user_id=" + enc(bob.id()), null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/query/profile", "GET", reply);
        assertEquals("Bob Two", reply.json().path("displayname").asText(), reply.toString());
        Reply field = signed("GET", V1 + "/query/profile?user_id=" + enc(bob.id()) + "&field=displayname", null);
        assertEquals(200, field.status(), field.toString());
        assertValid(V1 + "/query/profile", "GET", field);
        assertEquals("Bob Two", field.json().path("displayname").asText(), field.toString());
    }

    /**
     * The document says user_id "must be a user local to the receiving homeserver" and
     * documents 404 ("the user does not exist") and 403; a 400 for the violated parameter is
     * the general rule for an invalid request. Either is accepted, with its matching errcode.
     */
    @Test
    void profileQueryOfAUserOfAnotherServerIsRefused() throws Exception {
        Reply reply = signed("GET", V1 + "/query/profile?user_id=" + enc(oneUser("someone")), null);
        if (reply.status() == 404) {
            assertMatrixError(reply, 404, "M_NOT_FOUND");
            assertValid(V1 + "/query/profile", "GET", reply);
        } else {
            assertMatrixError(reply, 400, "M_INVALID_PARAM");
        }
    }

    @Test
    void profileQueryOfAnUnknownLocalUserIsNotFound() throws Exception {
        Reply reply = signed("GET", V1 + "/query/profile?user_id=" + enc("@ghost-" + System.nanoTime() + ":"
                + twoName.value()), null);
        assertMatrixError(reply, 404, "M_NOT_FOUND");
        assertValid(V1 + "/query/profile", "GET", reply);
    }

    @Test
    void directoryQueryResolvesALocalAlias() throws Exception {
        Reply reply = signed("GET", V1 + "/query/directory?room_alias=" + enc(roomAlias), null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/query/directory", "GET", reply);
        assertEquals(roomId, reply.json().path("room_id").asText());
        assertTrue(reply.json().path("servers").toString().contains("\"" + twoName.value() + "\""), reply.toString());
    }

    @Test
    void directoryQueryOfAnUnknownAliasIsNotFound() throws Exception {
        Reply reply = signed("GET", V1 + "/query/directory?room_alias=" + enc("#nosuch-" + System.nanoTime() + ":"
                + twoName.value()), null);
        assertMatrixError(reply, 404, "M_NOT_FOUND");
        assertValid(V1 + "/query/directory", "GET", reply);
    }

    @Test
    void devicesOfALocalUser() throws Exception {
        Reply reply = signed("GET", V1 + "/user/devices/" + enc(bob.id()), null);
        assertEquals(200, reply.status(), reply.toString());
        assertValid(V1 + "/user/devices/{userId}", "GET", reply);
        assertEquals(bob.id(), reply.json().path("user_id").asText());
    }

    @Test
    void deviceKeysAndOneTimeKeysOfLocalUsersAreEmpty() throws Exception {
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        var query = mapper.createObjectNode();
        query.putObject("device_keys").putArray(bob.id());
        Reply keys = signed("POST", V1 + "/user/keys/query", query);
        assertEquals(200, keys.status(), keys.toString());
        assertValid(V1 + "/user/keys/query", "POST", keys);
        assertTrue(keys.json().path("device_keys").has(bob.id()), keys.toString());
        var claim = mapper.createObjectNode();
        claim.putObject("one_time_keys").putObject(bob.id()).put("DEVICE", "signed_curve25519");
        Reply claimed = signed("POST", V1 + "/user/keys/claim", claim);
        assertEquals(200, claimed.status(), claimed.toString());
        assertValid(V1 + "/user/keys/claim", "POST", claimed);
        assertMatrixError(signed("POST", V1 + "/user/keys/query", mapper.createObjectNode().put("device_keys", 1)),
                400, "M_BAD_JSON");
    }

    @Test
    void devicesOfAnUnknownUserAreNotFound() throws Exception {
        Reply reply = signed("GET", V1 + "/user/devices/" + enc("@ghost-" + System.nanoTime() + ":" + twoName.value()),
                null);
        assertMatrixError(reply, 404, "M_NOT_FOUND");
    }

    @Test
    void publicRoomsListsThePublishedRoom() throws Exception {
        Reply get = signed("GET", V1 + "/publicRooms?limit=10", null);
        assertEquals(200, get.status(), get.toString());
        assertValid(V1 + "/publicRooms", "GET", get);
        assertTrue(get.json().path("chunk").toString().contains(roomId), get.toString());

        ObjectNode filter = JSON.createObjectNode();
        filter.put("limit", 10);
        filter.putObject("filter").put("generic_search_term", "Endpoints");
        Reply post = signed("POST", V1 + "/publicRooms", filter);
        assertEquals(200, post.status(), post.toString());
        assertValid(V1 + "/publicRooms", "POST", post);
        assertTrue(post.json().path("chunk").toString().contains(roomId), post.toString());
    }

    // ---------------------------------------------------------------- request authentication

    @Test
    void aMalformedXMatrixHeaderIsUnauthorized() throws Exception {
        String uri = V1 + "/user/devices/" + enc(bob.id());
        for (String header : List.of("X-Matrix garbage", "X-Matrix origin=,key=,sig=", "Bearer sometoken",
                "X-Matrix origin=\"" + oneName.value() + "\",key=\"ed25519:x\"")) {
            assertMatrixError(sendRaw(two, "GET", uri, null, header), 401, "M_UNAUTHORIZED");
        }
    }

    @Test
    void aRequestWithoutAuthorizationIsUnauthorized() throws Exception {
        assertMatrixError(sendRaw(two, "GET", V1 + "/user/devices/" + enc(bob.id()), null, null), 401,
                "M_UNAUTHORIZED");
    }

    @Test
    void aRequestSignedForAnotherDestinationIsUnauthorized() throws Exception {
        String uri = V1 + "/user/devices/" + enc(bob.id());
        String header = XMatrixAuth.sign(oneKey, oneName, oneName, "GET", uri, null).header();
        assertMatrixError(sendRaw(two, "GET", uri, null, header), 401, "M_UNAUTHORIZED");
    }

    // ---------------------------------------------------------------- helpers

    /** Joins {@code @joiner:<one>} to the room through make_join and send_join v2, once. */
    private synchronized Joined joined() {
        if (joined == null) {
            try {
                String user = oneUser("joiner");
                Reply makeJoin = signed("GET", V1 + "/make_join/" + enc(roomId) + "/" + enc(user) + "?ver=10&ver=11",
                        null);
                assertEquals(200, makeJoin.status(), makeJoin.toString());
                Pdu join = completeJoin(makeJoin.json(), user);
                Reply sendJoin = signed("PUT", V2 + "/send_join/" + enc(roomId) + "/" + enc(join.eventId().value()),
                        join.json());
                assertEquals(200, sendJoin.status(), sendJoin.toString());
                joined = new Joined(user, makeJoin, join, sendJoin);
            } catch (Exception e) {
                throw new AssertionError("joining server one's user failed", e);
            }
        }
        return joined;
    }

    /** The join event completed from a make_join response and signed by server one. */
    private Pdu completeJoin(JsonNode makeJoin, String user) {
        return completeJoin(makeJoin, user, roomId);
    }

    private Pdu completeJoin(JsonNode makeJoin, String user, String room) {
        RoomVersion version = RoomVersion.byId(makeJoin.path("room_version").asText()).orElseThrow();
        JsonNode template = makeJoin.path("event");
        List<EventId> prev = new ArrayList<>();
        template.path("prev_events").forEach(id -> prev.add(EventId.of(id.asText())));
        List<EventId> auth = new ArrayList<>();
        template.path("auth_events").forEach(id -> auth.add(EventId.of(id.asText())));
        return PduBuilder.create(version).roomId(RoomId.of(room)).sender(UserId.of(user)).type("m.room.member")
                .stateKey(user).content(JSON.createObjectNode().put("membership", "join")).prevEvents(prev)
                .authEvents(auth).depth(template.path("depth").asLong(1)).originServerTs(System.currentTimeMillis())
                .origin(oneName).signingKey(oneKey).build();
    }

    /** An invite from server one into a room of its own, with the room's create event as stripped state. */
    record Invite(String roomId, EventId eventId, ObjectNode body) {
    }

    private Invite invite(String invitee) {
        String room = "!invite" + System.nanoTime() + ":" + oneName.value();
        UserId inviter = UserId.of(oneUser("inviter"));
        ObjectNode create = signedEvent(PduBuilder.create(RoomVersion.V10).roomId(RoomId.of(room)).sender(inviter)
                .type("m.room.create").stateKey("").content(JSON.createObjectNode().put("creator", inviter.value())
                        .put("room_version", "10"))
                .prevEvents(List.of()).authEvents(List.of()).depth(1).originServerTs(System.currentTimeMillis()));
        EventId createId = EventIds.compute(create.deepCopy(), RoomVersion.V10);
        ObjectNode invite = signedEvent(PduBuilder.create(RoomVersion.V10).roomId(RoomId.of(room)).sender(inviter)
                .type("m.room.member").stateKey(invitee).content(JSON.createObjectNode().put("membership", "invite"))
                .prevEvents(List.of(createId)).authEvents(List.of(createId)).depth(2)
                .originServerTs(System.currentTimeMillis()));
        ObjectNode body = JSON.createObjectNode();
        body.put("room_version", "10");
        body.set("event", invite);
        body.putArray("invite_room_state").add(create);
        return new Invite(room, EventIds.compute(invite.deepCopy(), RoomVersion.V10), body);
    }

    /**
     * A room version 10 event of server one's, with the {@code origin} field the Server-Server
     * API's invite schema requires (PduBuilder leaves it out), hashed and signed.
     */
    private ObjectNode signedEvent(PduBuilder builder) {
        ObjectNode event = builder.buildTemplate();
        event.put("origin", oneName.value());
        return EventSigning.hashAndSign(event, RoomVersion.V10, oneName.value(), oneKey);
    }

    private String oneUser(String localpart) {
        return "@" + localpart + "-" + System.nanoTime() % 100000 + ":" + oneName.value();
    }

    private ObjectNode transaction() {
        ObjectNode txn = JSON.createObjectNode();
        txn.put("origin", oneName.value());
        txn.put("origin_server_ts", System.currentTimeMillis());
        txn.putArray("pdus");
        return txn;
    }

    /** A request signed as server one for server two and sent to server two. */
    private Reply signed(String method, String uri, JsonNode body) throws Exception {
        String header = XMatrixAuth.sign(oneKey, oneName, twoName, method, uri, body).header();
        return send(two, method, uri, body, header);
    }

    private Reply send(TestServer to, String method, String uri, JsonNode body, String authorization) throws Exception {
        return sendRaw(to, method, uri, body == null ? null : JSON.writeValueAsString(body), authorization);
    }

    private Reply sendRaw(TestServer to, String method, String uri, String body, String authorization)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + to.federationPort() + uri))
                .timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json;
        try {
            json = response.body().isEmpty() ? null : JSON.readTree(response.body());
        } catch (Exception e) {
            json = null;
        }
        return new Reply(response.statusCode(), response.body(), json);
    }

    private void assertValid(String pathTemplate, String method, Reply reply) {
        assertNotNull(reply.json(), "a JSON body: " + reply);
        List<String> messages = spec.validate(pathTemplate, method, reply.status(), reply.json());
        assertEquals(List.of(), messages, "schema of " + method + " " + pathTemplate + " " + reply.status() + ": "
                + reply);
    }

    /** A Matrix error: the status, one of the errcodes, a string error and nothing like a stack trace. */
    private static void assertMatrixError(Reply reply, int status, String... errcodes) {
        assertEquals(status, reply.status(), reply.toString());
        if (reply.json() == null || !reply.json().isObject()) {
            fail("a Matrix error is a JSON object: " + reply);
        }
        String errcode = reply.json().path("errcode").asText(null);
        assertTrue(Arrays.asList(errcodes).contains(errcode), "errcode " + errcode + " is one of "
                + Arrays.toString(errcodes) + ": " + reply);
        assertTrue(reply.json().path("error").isTextual(), "a string error: " + reply);
        assertNoStackTrace(reply);
    }

    private static void assertNoStackTrace(Reply reply) {
        for (String trace : List.of("Exception", "\tat ", "at dev.myelin", "at java.", "Caused by")) {
            assertFalse(reply.text().contains(trace), "no stack trace text (" + trace.strip() + "): " + reply);
        }
    }

    private static String enc(String value) {
        return TestUser.enc(value);
    }
}
