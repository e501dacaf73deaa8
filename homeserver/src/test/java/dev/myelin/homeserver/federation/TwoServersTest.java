package dev.myelin.homeserver.federation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.federation.transport.XMatrixAuth;
import dev.myelin.homeserver.service.ServerKeys;
import dev.myelin.homeserver.testing.TestDatabases;
import dev.myelin.homeserver.testing.TestServer;
import dev.myelin.homeserver.testing.TestUser;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two Myelin servers with different names on loopback, federating over TLS (self-signed
 * certificates, verification off, loopback allowed): one on SQLite, one on PostgreSQL.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoServersTest {
    private TestServer one;
    private TestServer two;

    @BeforeAll
    void start() {
        Path dirOne = TestDatabases.tempDir("myelin-fed-one");
        one = TestServer.federated(dirOne, TestDatabases.freshSqlite(dirOne), TestServer.freePort(), true);
        two = TestServer.federated(TestDatabases.tempDir("myelin-fed-two"), TestDatabases.freshPostgres(),
                TestServer.freePort(), true);
    }

    @AfterAll
    void stop() {
        one.close();
        two.close();
    }

    @Test
    void inviteJoinAndMessagesBothWaysInOrder() {
        TestUser alice = TestUser.register(one, "alice");
        TestUser bob = TestUser.register(two, "bob");
        String roomId = alice.createRoom(Map.of("preset", "private_chat", "name", "Across"));
        JsonNode bobStart = bob.sync("timeout=0");
        alice.ok("POST", "/rooms/" + TestUser.enc(roomId) + "/invite", Map.of("user_id", bob.id()));
        JsonNode invited = until(bob, bobStart, s -> s.path("rooms").path("invite").has(roomId));
        assertTrue(invited.path("rooms").path("invite").path(roomId).path("invite_state").toString().contains("Across"),
                invited.toString());

        JsonNode aliceStart = alice.sync("timeout=0");
        bob.join(roomId);
        until(alice, aliceStart, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("type").asText().equals("m.room.member") && e.path("state_key").asText().equals(bob.id())
                        && e.path("content").path("membership").asText().equals("join")));

        JsonNode bobJoined = bob.sync("timeout=0");
        assertTrue(bobJoined.path("rooms").path("join").has(roomId), bobJoined.toString());
        assertEquals(List.of("from two 1", "from two 2", "from two 3"),
                threeMessagesSeen(bob, alice, roomId, "from two "));
        assertEquals(List.of("from one 1", "from one 2", "from one 3"),
                threeMessagesSeen(alice, bob, roomId, "from one "));
    }

    /** The sender says three numbered messages; the bodies of the first three the receiver's syncs show, in order. */
    private static List<String> threeMessagesSeen(TestUser sender, TestUser receiver, String roomId, String prefix) {
        JsonNode before = receiver.sync("timeout=0");
        for (int i = 1; i <= 3; i++) {
            sender.say(roomId, prefix + i);
        }
        List<String> seen = new ArrayList<>();
        until(receiver, before, s -> {
            timeline(s, roomId).stream().filter(e -> e.path("type").asText().equals("m.room.message"))
                    .forEach(e -> seen.add(e.path("content").path("body").asText()));
            return seen.size() >= 3;
        });
        return seen;
    }

    @Test
    void inviteAndJoinTheOtherWayRound() {
        TestUser carol = TestUser.register(two, "carol");
        TestUser dave = TestUser.register(one, "dave");
        String roomId = carol.createRoom(Map.of("preset", "private_chat", "name", "Hosted on two"));
        JsonNode daveStart = dave.sync("timeout=0");
        carol.ok("POST", "/rooms/" + TestUser.enc(roomId) + "/invite", Map.of("user_id", dave.id()));
        until(dave, daveStart, s -> s.path("rooms").path("invite").has(roomId));
        dave.join(roomId);
        JsonNode carolStart = carol.sync("timeout=0");
        dave.say(roomId, "hello two");
        until(carol, carolStart, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("content").path("body").asText().equals("hello two")));
        JsonNode daveNow = dave.sync("timeout=0");
        carol.say(roomId, "hello one");
        until(dave, daveNow, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("content").path("body").asText().equals("hello one")));
    }

    @Test
    void toDeviceMessagesCrossOver() {
        TestUser alice = TestUser.register(one, "alice");
        TestUser bob = TestUser.register(two, "bob");
        JsonNode bobStart = bob.sync("timeout=0");
        alice.ok("PUT", "/sendToDevice/m.room_key_request/cross-1", Map.of("messages",
                Map.of(bob.id(), Map.of("*", Map.of("text", "for every device of bob")))));
        JsonNode received = until(bob, bobStart, s -> s.path("to_device").path("events").size() > 0);
        JsonNode event = received.path("to_device").path("events").get(0);
        assertEquals(alice.id(), event.path("sender").asText());
        assertEquals("m.room_key_request", event.path("type").asText());
        assertEquals("for every device of bob", event.path("content").path("text").asText());
    }

    @Test
    void typingAndReceiptsCrossOver() {
        TestUser alice = TestUser.register(one, "alice");
        TestUser bob = TestUser.register(two, "bob");
        String roomId = sharedRoom(alice, bob);
        JsonNode bobStart = bob.sync("timeout=0");
        alice.ok("PUT", "/rooms/" + TestUser.enc(roomId) + "/typing/" + TestUser.enc(alice.id()),
                Map.of("typing", true, "timeout", 20000));
        until(bob, bobStart, s -> s.path("rooms").path("join").path(roomId).path("ephemeral").toString()
                .contains("\"user_ids\":[\"" + alice.id() + "\"]"));

        JsonNode aliceStart = alice.sync("timeout=0");
        String eventId = bob.say(roomId, "read me");
        JsonNode bobNext = bob.sync("timeout=0");
        until(alice, aliceStart, s -> timeline(s, roomId).stream().anyMatch(e -> e.path("event_id").asText().equals(eventId)));
        alice.ok("POST", "/rooms/" + TestUser.enc(roomId) + "/receipt/m.read/" + TestUser.enc(eventId), Map.of());
        until(bob, bobNext, s -> s.path("rooms").path("join").path(roomId).path("ephemeral").toString()
                .contains(alice.id()) && s.path("rooms").path("join").path(roomId).path("ephemeral").toString()
                .contains("m.receipt"));
    }

    @Test
    void refusesForgedSignaturesAndRequestsForAnotherDestination() throws Exception {
        String name = "localhost:" + one.federationPort();
        SigningKey real = ServerKeys.loadOrGenerate(one.dataDir());
        SigningKey forged = SigningKey.generate(real.version());
        String uri = "/_matrix/federation/v1/send/forged-1";
        ObjectNode body = new ObjectMapper().createObjectNode();
        body.put("origin", name);
        body.put("origin_server_ts", System.currentTimeMillis());
        body.putArray("pdus");
        ServerName twoName = new ServerName("localhost:" + two.federationPort());
        XMatrixAuth forgedAuth = XMatrixAuth.sign(forged, new ServerName(name), twoName, "PUT", uri, body);
        assertEquals(401, put(two, uri, body, forgedAuth.header()));
        XMatrixAuth elsewhere = XMatrixAuth.sign(real, new ServerName(name), new ServerName("elsewhere.example"),
                "PUT", uri, body);
        assertEquals(401, put(two, uri, body, elsewhere.header()));
        XMatrixAuth genuine = XMatrixAuth.sign(real, new ServerName(name), twoName, "PUT", uri, body);
        assertEquals(200, put(two, uri, body, genuine.header()));
        assertEquals(401, put(two, uri, body, null));
    }

    @Test
    void aReplayedTransactionIsAppliedOnce() throws Exception {
        TestUser alice = TestUser.register(one, "alice");
        TestUser bob = TestUser.register(two, "bob");
        String roomId = sharedRoom(alice, bob);
        String room = TestUser.enc(roomId);
        String latest = latestEventId(bob, room);
        Pdu pdu = asServerOne(bob, alice, roomId, "m.room.message", null,
                new ObjectMapper().createObjectNode().put("msgtype", "m.text").put("body", "only once"), latest);
        ObjectNode txn = transactionFromOne(pdu);
        String uri = "/_matrix/federation/v1/send/replayed-" + System.nanoTime();
        var first = toTwoFromOne(uri, txn);
        assertEquals(200, first.statusCode(), first.body());
        assertTrue(first.body().contains(pdu.eventId().value()), first.body());
        var again = toTwoFromOne(uri, txn);
        assertEquals(first.body(), again.body());
        JsonNode page = bob.ok("GET", "/rooms/" + room + "/messages?dir=b&limit=20", null);
        long copies = 0;
        for (JsonNode event : page.path("chunk")) {
            copies += event.path("content").path("body").asText().equals("only once") ? 1 : 0;
        }
        assertEquals(1, copies, page.toString());
    }

    /**
     * A state event that arrives on a fork of the graph is one of the conflicting events when the
     * current state is resolved: here the later of two topics set on either side of a fork wins
     * (same mainline position, later origin_server_ts), although it is the event being written.
     */
    @Test
    void aStateEventReceivedOnAForkTakesPartInResolvingTheCurrentState() throws Exception {
        TestUser alice = TestUser.register(one, "alice");
        TestUser bob = TestUser.register(two, "bob");
        String roomId = sharedRoom(alice, bob);
        String room = TestUser.enc(roomId);
        String forkPoint = latestEventId(bob, room);
        alice.ok("PUT", "/rooms/" + room + "/state/m.room.topic/", Map.of("topic", "first"));
        for (int attempt = 0; attempt < 200 && !topic(bob, room).equals("first"); attempt++) {
            Thread.sleep(50);
        }
        assertEquals("first", topic(bob, room));
        // Alice's server sends a later topic built on the fork point, as if "first" were on a branch it had not seen.
        Pdu second = asServerOne(bob, alice, roomId, "m.room.topic", "",
                new ObjectMapper().createObjectNode().put("topic", "second"), forkPoint);
        ObjectNode txn = transactionFromOne(second);
        String uri = "/_matrix/federation/v1/send/fork-" + System.nanoTime();
        var response = toTwoFromOne(uri, txn);
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("\"" + second.eventId().value() + "\":{}"), response.body());
        assertEquals("second", topic(bob, room));
    }

    private static String topic(TestUser user, String room) {
        return user.call("GET", "/rooms/" + room + "/state/m.room.topic/", null).json().path("topic").asText();
    }

    private static String latestEventId(TestUser user, String room) {
        return user.ok("GET", "/rooms/" + room + "/messages?dir=b&limit=1", null).path("chunk").get(0)
                .path("event_id").asText();
    }

    /**
     * An event of {@code sender} (a user of server one) built and signed with server one's key but
     * never sent by it: on {@code prevEvent}, with auth events from the current state as
     * {@code viewer} sees it.
     */
    private Pdu asServerOne(TestUser viewer, TestUser sender, String roomId, String type, String stateKey,
                            ObjectNode content, String prevEvent) {
        List<EventId> auth = new ArrayList<>();
        for (JsonNode event : viewer.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/state", null)) {
            String eventType = event.path("type").asText();
            if (eventType.equals("m.room.create") || eventType.equals("m.room.power_levels")
                    || (eventType.equals("m.room.member") && event.path("state_key").asText().equals(sender.id()))) {
                auth.add(EventId.of(event.path("event_id").asText()));
            }
        }
        return PduBuilder.create(RoomVersion.V10).roomId(RoomId.of(roomId)).sender(UserId.of(sender.id()))
                .type(type).stateKey(stateKey).content(content).prevEvents(List.of(EventId.of(prevEvent)))
                .authEvents(auth).depth(1000).originServerTs(System.currentTimeMillis()).origin(oneName())
                .signingKey(ServerKeys.loadOrGenerate(one.dataDir())).build();
    }

    /** PUTs a transaction to server two, signed by server one. */
    private java.net.http.HttpResponse<String> toTwoFromOne(String uri, ObjectNode txn) throws Exception {
        return request(two, "PUT", uri, txn, signedByOne(uri, "PUT", txn));
    }

    private ObjectNode transactionFromOne(Pdu pdu) {
        ObjectNode txn = new ObjectMapper().createObjectNode();
        txn.put("origin", oneName().value());
        txn.put("origin_server_ts", System.currentTimeMillis());
        txn.putArray("pdus").add(pdu.json());
        return txn;
    }

    /** The X-Matrix header of a request from server one to server two. */
    private String signedByOne(String uri, String method, ObjectNode body) {
        return XMatrixAuth.sign(ServerKeys.loadOrGenerate(one.dataDir()), oneName(),
                new ServerName("localhost:" + two.federationPort()), method, uri, body).header();
    }

    private ServerName oneName() {
        return new ServerName("localhost:" + one.federationPort());
    }

    /** A PUT to a server's TLS federation listener; the status. */
    static int put(TestServer server, String uri, ObjectNode body, String authorization) throws Exception {
        return request(server, "PUT", uri, body, authorization).statusCode();
    }

    static java.net.http.HttpResponse<String> request(TestServer server, String method, String uri, ObjectNode body,
                                                      String authorization) throws Exception {
        javax.net.ssl.SSLContext tls = javax.net.ssl.SSLContext.getInstance("TLS");
        tls.init(null, new javax.net.ssl.TrustManager[] {new javax.net.ssl.X509TrustManager() {
            public void checkClientTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public void checkServerTrusted(java.security.cert.X509Certificate[] c, String a) { }
            public java.security.cert.X509Certificate[] getAcceptedIssuers() {
                return new java.security.cert.X509Certificate[0];
            }
        }}, null);
        java.net.http.HttpClient client = java.net.http.HttpClient.newBuilder().sslContext(tls).build();
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("https://127.0.0.1:"
                + server.federationPort() + uri)).method(method, body == null
                ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body.toString()))
                .header("Content-Type", "application/json");
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return client.send(request.build(), java.net.http.HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void remoteProfileAliasJoinByAliasAndLeave() {
        TestUser alice = TestUser.register(one, "alice");
        TestUser bob = TestUser.register(two, "bob");
        alice.ok("PUT", "/profile/" + TestUser.enc(alice.id()) + "/displayname", Map.of("displayname", "Alice One"));
        assertEquals("Alice One", bob.ok("GET", "/profile/" + TestUser.enc(alice.id()), null)
                .path("displayname").asText());
        String roomId = alice.createRoom(Map.of("preset", "public_chat"));
        String alias = "#meet-" + System.nanoTime() + ":localhost:" + one.federationPort();
        alice.ok("PUT", "/directory/room/" + TestUser.enc(alias), Map.of("room_id", roomId));
        JsonNode resolved = bob.ok("GET", "/directory/room/" + TestUser.enc(alias), null);
        assertEquals(roomId, resolved.path("room_id").asText());
        assertTrue(resolved.path("servers").toString().contains("localhost:" + one.federationPort()), resolved.toString());

        JsonNode aliceStart = alice.sync("timeout=0");
        assertEquals(roomId, bob.ok("POST", "/join/" + TestUser.enc(alias), Map.of()).path("room_id").asText());
        JsonNode afterJoin = until(alice, aliceStart, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("state_key").asText().equals(bob.id()) && e.path("content").path("membership").asText().equals("join")));
        bob.leave(roomId);
        until(alice, afterJoin, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("state_key").asText().equals(bob.id()) && e.path("content").path("membership").asText().equals("leave")));
        JsonNode members = alice.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/joined_members", null).path("joined");
        assertTrue(members.has(alice.id()) && !members.has(bob.id()), members.toString());

        // Back again: the room moved on meanwhile, and server two catches up through the join.
        alice.ok("PUT", "/rooms/" + TestUser.enc(roomId) + "/state/m.room.topic/", Map.of("topic", "while away"));
        bob.ok("POST", "/join/" + TestUser.enc(alias), Map.of());
        assertEquals("while away", bob.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/state/m.room.topic/", null)
                .path("topic").asText());
        JsonNode bobStart = bob.sync("timeout=0");
        alice.say(roomId, "welcome back");
        until(bob, bobStart, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("content").path("body").asText().equals("welcome back")));
    }

    @Test
    void aRoomForkedByBothServersSendingAtOnceConvergesToTheSameState() throws Exception {
        TestUser alice = TestUser.register(one, "alice");
        TestUser bob = TestUser.register(two, "bob");
        String roomId = sharedRoom(alice, bob);
        String room = TestUser.enc(roomId);
        alice.ok("PUT", "/rooms/" + room + "/state/m.room.power_levels/", Map.of("users",
                Map.of(alice.id(), 100, bob.id(), 100)));
        for (int attempt = 0; attempt < 50 && bob.call("GET", "/rooms/" + room + "/state/m.room.power_levels/", null)
                .json().path("users").path(bob.id()).asInt() != 100; attempt++) {
            Thread.sleep(100);
        }
        java.util.concurrent.atomic.AtomicReference<Throwable> failure = new java.util.concurrent.atomic.AtomicReference<>();
        Thread other = Thread.ofVirtual().uncaughtExceptionHandler((t, e) -> failure.set(e)).start(() -> {
            for (int i = 0; i < 15; i++) {
                bob.ok("PUT", "/rooms/" + room + "/state/m.room.topic/", Map.of("topic", "bob " + i));
                bob.ok("PUT", "/rooms/" + room + "/state/m.bench/shared", Map.of("by", "bob " + i));
                bob.say(roomId, "bob says " + i);
            }
        });
        for (int i = 0; i < 15; i++) {
            alice.ok("PUT", "/rooms/" + room + "/state/m.room.topic/", Map.of("topic", "alice " + i));
            alice.ok("PUT", "/rooms/" + room + "/state/m.bench/shared", Map.of("by", "alice " + i));
            alice.say(roomId, "alice says " + i);
        }
        other.join();
        assertEquals(null, failure.get());
        // Both sides send once more, each building on everything it has: the forks meet.
        JsonNode aliceBefore = alice.sync("timeout=0");
        JsonNode bobBefore = bob.sync("timeout=0");
        alice.say(roomId, "alice done");
        bob.say(roomId, "bob done");
        // Each server sends in order: the other's last message arriving means all of its earlier ones did.
        until(alice, aliceBefore, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("content").path("body").asText().equals("bob done")));
        until(bob, bobBefore, s -> timeline(s, roomId).stream().anyMatch(e ->
                e.path("content").path("body").asText().equals("alice done")));
        Map<String, String> onOne = null;
        Map<String, String> onTwo = null;
        for (int attempt = 0; attempt < 50; attempt++) {
            onOne = state(alice, room);
            onTwo = state(bob, room);
            if (onOne.equals(onTwo)) {
                break;
            }
            Thread.sleep(200);
        }
        if (!onOne.equals(onTwo)) {
            assertEquals(onOne, onTwo, divergence(alice, roomId));
        }
        assertTrue(onOne.get("m.room.topic|") != null, onOne.toString());
        JsonNode page = bob.ok("GET", "/rooms/" + room + "/messages?dir=b&limit=200", null);
        long alicesOnTwo = 0;
        for (JsonNode event : page.path("chunk")) {
            alicesOnTwo += event.path("content").path("body").asText().startsWith("alice says") ? 1 : 0;
        }
        assertEquals(15, alicesOnTwo, "every message of the other server arrived");
        JsonNode onePage = alice.ok("GET", "/rooms/" + room + "/messages?dir=b&limit=200", null);
        long bobsOnOne = 0;
        for (JsonNode event : onePage.path("chunk")) {
            bobsOnOne += event.path("content").path("body").asText().startsWith("bob says") ? 1 : 0;
        }
        assertEquals(15, bobsOnOne, "every message of the other server arrived");
    }

    /**
     * For a failure message: the room's events as server one orders them, with the state before
     * each as either server reports it ({@code state_ids}) where the two differ.
     */
    private String divergence(TestUser alice, String roomId) throws Exception {
        StringBuilder out = new StringBuilder();
        JsonNode page = alice.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/messages?dir=b&limit=300", null);
        for (JsonNode event : page.path("chunk")) {
            String id = event.path("event_id").asText();
            String uri = "/_matrix/federation/v1/state_ids/" + TestUser.enc(roomId) + "?event_id=" + TestUser.enc(id);
            java.util.Set<String> onOne = new java.util.TreeSet<>();
            JsonNode fromOne = new ObjectMapper().readTree(request(one, "GET", uri, null,
                    XMatrixAuth.sign(ServerKeys.loadOrGenerate(two.dataDir()), new ServerName("localhost:"
                            + two.federationPort()), oneName(), "GET", uri, null).header()).body());
            fromOne.path("pdu_ids").forEach(x -> onOne.add(x.asText()));
            java.util.Set<String> onTwo = new java.util.TreeSet<>();
            new ObjectMapper().readTree(request(two, "GET", uri, null, signedByOne(uri, "GET", null)).body())
                    .path("pdu_ids").forEach(x -> onTwo.add(x.asText()));
            out.append(id).append(' ').append(event.path("type").asText()).append(' ')
                    .append(event.path("content")).append(onOne.equals(onTwo) ? "" : " state before differs: one "
                            + onOne + ", two " + onTwo).append('\n');
        }
        return out.toString();
    }

    /** The room's current state as type|state_key → event ID. */
    private static Map<String, String> state(TestUser user, String room) {
        Map<String, String> state = new java.util.TreeMap<>();
        for (JsonNode event : user.ok("GET", "/rooms/" + room + "/state", null)) {
            state.put(event.path("type").asText() + "|" + event.path("state_key").asText(),
                    event.path("event_id").asText());
        }
        return state;
    }

    /** A room of alice's on server one that bob of server two joined. */
    static String sharedRoom(TestUser alice, TestUser bob) {
        String roomId = alice.createRoom(Map.of("preset", "public_chat"));
        bob.ok("POST", "/join/" + TestUser.enc(roomId), Map.of());
        JsonNode aliceStart = alice.sync("timeout=0");
        if (!alice.ok("GET", "/rooms/" + TestUser.enc(roomId) + "/joined_members", null).path("joined").has(bob.id())) {
            until(alice, aliceStart, s -> timeline(s, roomId).stream().anyMatch(e ->
                    e.path("state_key").asText().equals(bob.id())));
        }
        return roomId;
    }

    /** Incremental syncs of the user after {@code previous} until one matches (bounded). */
    static JsonNode until(TestUser user, JsonNode previous, Predicate<JsonNode> matches) {
        JsonNode last = previous;
        for (int i = 0; i < 40; i++) {
            JsonNode next = user.sync("timeout=2000&since=" + TestUser.enc(last.get("next_batch").asText()));
            if (matches.test(next)) {
                return next;
            }
            last = next;
        }
        throw new AssertionError("no sync of " + user.id() + " matched; the last was " + last);
    }

    static List<JsonNode> timeline(JsonNode sync, String roomId) {
        List<JsonNode> events = new ArrayList<>();
        sync.path("rooms").path("join").path(roomId).path("timeline").path("events").forEach(events::add);
        return events;
    }
}
