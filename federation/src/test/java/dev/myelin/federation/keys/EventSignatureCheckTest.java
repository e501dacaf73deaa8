package dev.myelin.federation.keys;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.TestVectors;
import dev.myelin.federation.auth.ServerSignatureCheck;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.EventSigning;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class EventSignatureCheckTest {
    static final long NOW = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final ServerName SELF = ServerName.of("self.example");
    static final ServerName REMOTE = ServerName.of("remote.example");
    static final ServerName AUTHORISER = ServerName.of("auth.example");
    final SigningKey remoteKey = SigningKey.generate("r1");
    final SigningKey authKey = SigningKey.generate("a1");
    final TestClock clock = new TestClock(NOW);
    final FakeFetcher net = new FakeFetcher();
    final KeyRing ring = new KeyRing(SELF, SigningKey.generate("self"), net, List.of(), clock);

    EventSignatureCheckTest() {
        net.serve(REMOTE, ServerKeyDocument.build(REMOTE, remoteKey, List.of(), NOW + HOUR));
        net.serve(AUTHORISER, ServerKeyDocument.build(AUTHORISER, authKey, List.of(), NOW + HOUR));
    }

    Pdu event(RoomVersion v, String sender, String type, String stateKey, ObjectNode content, long ts, SigningKey key) {
        return PduBuilder.create(v).roomId(RoomId.of("!room:remote.example")).sender(UserId.of(sender))
                .type(type).stateKey(stateKey).content(content).depth(5).originServerTs(ts)
                .origin(UserId.of(sender).server()).signingKey(key).build();
    }

    Pdu message(long ts) {
        return event(RoomVersion.V10, "@bob:remote.example", "m.room.message", null,
                JsonNodeFactory.instance.objectNode().put("body", "hi"), ts, remoteKey);
    }

    Pdu restrictedJoin(RoomVersion v) {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "join")
                .put("join_authorised_via_users_server", "@admin:auth.example");
        return event(v, "@bob:remote.example", "m.room.member", "@bob:remote.example", content, NOW, remoteKey);
    }

    @Test
    void aProperlySignedEventPasses() {
        assertDoesNotThrow(() -> EventSignatureCheck.verify(message(NOW), ring));
    }

    @Test
    void aTamperedEventFailsNamingServerAndKey() {
        ObjectNode json = event(RoomVersion.V10, "@bob:remote.example", "m.room.member", "@bob:remote.example",
                JsonNodeFactory.instance.objectNode().put("membership", "leave"), NOW, remoteKey).json();
        ((ObjectNode) json.get("content")).put("membership", "join");
        Pdu tampered = Pdu.fromJson(json, RoomVersion.V10);
        SignatureException e = assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(tampered, ring));
        assertTrue(e.getMessage().contains("remote.example") && e.getMessage().contains("ed25519:r1"), e.getMessage());
    }

    @Test
    void redactableContentMayChangeWithoutBreakingTheSignature() {
        ObjectNode json = message(NOW).json();
        ((ObjectNode) json.get("content")).put("body", "edited");
        Pdu edited = Pdu.fromJson(json, RoomVersion.V10);
        assertDoesNotThrow(() -> EventSignatureCheck.verify(edited, ring), "signatures cover the redacted form");
        assertFalse(edited.contentHashMatches(), "the content hash catches it instead");
        assertDoesNotThrow(() -> EventSignatureCheck.verify(edited.redacted(), ring));
    }

    @Test
    void aSignatureByAnUnknownKeyOrNoSignatureFails() {
        Pdu byStranger = event(RoomVersion.V10, "@bob:remote.example", "m.room.message", null,
                JsonNodeFactory.instance.objectNode(), NOW, SigningKey.generate("r1"));
        assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(byStranger, ring));

        Pdu byOtherKeyId = event(RoomVersion.V10, "@bob:remote.example", "m.room.message", null,
                JsonNodeFactory.instance.objectNode(), NOW, SigningKey.generate("zz"));
        SignatureException e = assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(byOtherKeyId, ring));
        assertTrue(e.getMessage().contains("ed25519:zz"), e.getMessage());

        ObjectNode json = message(NOW).json();
        json.putObject("signatures");
        Pdu unsigned = Pdu.fromJson(json, RoomVersion.V10);
        e = assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(unsigned, ring));
        assertTrue(e.getMessage().contains("remote.example"), e.getMessage());
    }

    @Test
    void theKeyMustBeValidAtTheEventsOriginServerTs() {
        Pdu late = message(NOW + 2 * HOUR);
        assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(late, ring));
        assertDoesNotThrow(() -> EventSignatureCheck.verify(message(NOW + HOUR), ring));
    }

    @Test
    void aRestrictedJoinNeedsTheAuthorisingServersSignatureToo() {
        Pdu join = restrictedJoin(RoomVersion.V10);
        assertEquals(Set.of(REMOTE, AUTHORISER), EventSignatureCheck.expectedSigners(join));
        SignatureException e = assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(join, ring));
        assertTrue(e.getMessage().contains("auth.example"), e.getMessage());

        Pdu cosigned = Pdu.fromJson(EventSigning.addSignature(join.json(), RoomVersion.V10, "auth.example", authKey),
                RoomVersion.V10);
        assertDoesNotThrow(() -> EventSignatureCheck.verify(cosigned, ring));

        Pdu forged = Pdu.fromJson(EventSigning.addSignature(join.json(), RoomVersion.V10, "auth.example",
                SigningKey.generate("a1")), RoomVersion.V10);
        assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(forged, ring));
    }

    @Test
    void roomVersionsWithoutRestrictedJoinsIgnoreTheAuthoriser() {
        assertEquals(Set.of(REMOTE), EventSignatureCheck.expectedSigners(restrictedJoin(RoomVersion.V7)));
    }

    @Test
    void aThirdPartyInviteNeedsNoSignatureFromTheSendersServer() {
        ObjectNode content = JsonNodeFactory.instance.objectNode().put("membership", "invite");
        content.putObject("third_party_invite").put("display_name", "carol");
        Pdu invite = event(RoomVersion.V10, "@bob:remote.example", "m.room.member", "@carol:else.example",
                content, NOW, remoteKey);
        assertTrue(EventSignatureCheck.expectedSigners(invite).isEmpty());
    }

    @Test
    void asServerSignatureCheckAnswersCryptographically() {
        ServerSignatureCheck check = EventSignatureCheck.asServerSignatureCheck(ring);
        Pdu join = restrictedJoin(RoomVersion.V10);
        assertTrue(check.isSignedBy(join, REMOTE));
        assertFalse(check.isSignedBy(join, AUTHORISER));
        ObjectNode json = join.json();
        ((ObjectNode) json.get("signatures")).putObject("auth.example").put("ed25519:a1", "bm90IGEgc2lnbmF0dXJl");
        assertFalse(check.isSignedBy(Pdu.fromJson(json, RoomVersion.V10), AUTHORISER));
    }

    /** The spec's signed "minimal" event vector, checked with the vector key fetched as a key document. */
    @Test
    void theSpecsSignedEventVectorVerifies() {
        JsonNode k = TestVectors.get().get("signing_key");
        SigningKey key = SigningKey.fromSeed(k.get("key_id").textValue(),
                Base64Unpadded.decode(k.get("seed_unpadded_base64").textValue()));
        ServerName domain = ServerName.of(k.get("server_name").textValue());
        net.serve(domain, ServerKeyDocument.build(domain, key, List.of(), NOW + HOUR));
        JsonNode vector = TestVectors.get().get("events").get(0);
        ObjectNode json = ((ObjectNode) vector.get("input")).deepCopy();
        json.putObject("hashes").put("sha256", vector.get("content_hash_sha256").textValue());
        json.putObject("signatures").putObject("domain").put("ed25519:1",
                vector.at("/by_redaction_rules/v1-v10/signature").textValue());
        Pdu pdu = Pdu.fromJson(json, RoomVersion.V10);
        assertDoesNotThrow(() -> EventSignatureCheck.verify(pdu, ring));
        json.put("depth", 4);
        assertThrows(SignatureException.class, () -> EventSignatureCheck.verify(Pdu.fromJson(json, RoomVersion.V10), ring));
    }
}
