package dev.myelin.federation.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.TestVectors;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.JsonSignatures;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.json.CanonicalJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerKeyDocumentTest {
    static final ServerName ORIGIN = ServerName.of("origin.example");
    static final SigningKey KEY = SigningKey.generate("current");
    static final SigningKey OLD = SigningKey.generate("old");

    static ObjectNode document() {
        return ServerKeyDocument.build(ORIGIN, KEY,
                List.of(new OldVerifyKey(OLD.keyId(), OLD.publicKeyBase64(), 5_000)), 10_000);
    }

    @Test
    void buildThenVerifyRoundTrips() {
        ObjectNode doc = document();
        assertEquals("origin.example", doc.get("server_name").textValue());
        assertEquals(KEY.publicKeyBase64(), doc.at("/verify_keys/ed25519:current/key").textValue());
        assertEquals(5_000, doc.at("/old_verify_keys/ed25519:old/expired_ts").longValue());
        assertTrue(JsonSignatures.verify(doc, "origin.example", KEY.keyId(), KEY.publicKey()));

        ServerKeys keys = ServerKeyDocument.verify(ORIGIN, doc);
        assertEquals(ORIGIN, keys.server());
        assertEquals(10_000, keys.validUntilTs());
        assertArrayEquals(KEY.publicKey(), keys.verifyKeys().get(KEY.keyId()));
        assertArrayEquals(OLD.publicKey(), keys.oldVerifyKeys().get(OLD.keyId()).key());
        assertEquals(doc, keys.json());
    }

    @Test
    void keyValidAtHonoursValidUntilAndExpiredTs() {
        ServerKeys keys = ServerKeyDocument.verify(ORIGIN, document());
        assertArrayEquals(KEY.publicKey(), keys.keyValidAt(KEY.keyId(), 10_000).orElseThrow());
        assertTrue(keys.keyValidAt(KEY.keyId(), 10_001).isEmpty());
        assertArrayEquals(OLD.publicKey(), keys.keyValidAt(OLD.keyId(), 5_000).orElseThrow());
        assertTrue(keys.keyValidAt(OLD.keyId(), 5_001).isEmpty());
        assertTrue(keys.keyValidAt("ed25519:unknown", 0).isEmpty());
    }

    @Test
    void tamperedDocumentIsRejected() {
        ObjectNode doc = document();
        doc.put("valid_until_ts", 99_999_999_999L);
        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, doc));

        ObjectNode swapped = document();
        SigningKey attacker = SigningKey.generate("current");
        ((ObjectNode) swapped.at("/verify_keys/ed25519:current")).put("key", attacker.publicKeyBase64());
        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, swapped));
    }

    @Test
    void wrongServerNameIsRejected() {
        KeyException e = assertThrows(KeyException.class,
                () -> ServerKeyDocument.verify(ServerName.of("other.example"), document()));
        assertTrue(e.getMessage().contains("other.example"), e.getMessage());
    }

    @Test
    void everyVerifyKeyMustHaveSigned() {
        SigningKey second = SigningKey.generate("second");
        ObjectNode doc = document();
        ((ObjectNode) doc.get("verify_keys")).putObject(second.keyId()).put("key", second.publicKeyBase64());
        doc.remove("signatures");
        ObjectNode signedByFirstOnly = JsonSignatures.sign(doc, ORIGIN.value(), KEY);
        KeyException e = assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, signedByFirstOnly));
        assertTrue(e.getMessage().contains("ed25519:second"), e.getMessage());

        ObjectNode signedByBoth = JsonSignatures.sign(signedByFirstOnly, ORIGIN.value(), second);
        assertEquals(2, ServerKeyDocument.verify(ORIGIN, signedByBoth).verifyKeys().size());
    }

    @Test
    void unsignedMalformedAndKeylessDocumentsAreRejected() {
        ObjectNode unsigned = document();
        unsigned.remove("signatures");
        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, unsigned));

        ObjectNode noKeys = document();
        noKeys.putObject("verify_keys");
        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, noKeys));

        ObjectNode badKey = document();
        ((ObjectNode) badKey.at("/verify_keys/ed25519:current")).put("key", "c2hvcnQ");
        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, badKey));

        ObjectNode noUntil = document();
        noUntil.put("valid_until_ts", "soon");
        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, noUntil));

        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ORIGIN, null));
    }

    @Test
    void notarySignaturesDoNotDisturbVerification() {
        SigningKey notary = SigningKey.generate("n");
        ObjectNode doc = JsonSignatures.sign(document(), "notary.example", notary);
        assertEquals(ORIGIN, ServerKeyDocument.verify(ORIGIN, doc).server());
    }

    /** The spec's signing-key test vector (seed of server "domain", key ed25519:1). */
    @Test
    void documentWithTheSpecSigningKeyVector() {
        JsonNode v = TestVectors.get().get("signing_key");
        SigningKey key = SigningKey.fromSeed(v.get("key_id").textValue(),
                Base64Unpadded.decode(v.get("seed_unpadded_base64").textValue()));
        ServerName domain = ServerName.of(v.get("server_name").textValue());
        ObjectNode doc = ServerKeyDocument.build(domain, key, List.of(), 1_000_000);
        assertEquals(v.get("public_key_unpadded_base64").textValue(), doc.at("/verify_keys/ed25519:1/key").textValue());
        byte[] published = Base64Unpadded.decode(v.get("public_key_unpadded_base64").textValue());
        assertArrayEquals(published, ServerKeyDocument.verify(domain, doc).keyValidAt("ed25519:1", 1_000_000).orElseThrow());
    }

    /** The built document has every property the spec's response schema requires. */
    @Test
    void builtDocumentHasTheSchemaRequiredProperties() throws IOException {
        Path spec = TestVectorsPath.specFile("server-server.json");
        JsonNode schema = CanonicalJson.mapper().readTree(Files.readAllBytes(spec))
                .at("/paths/~1_matrix~1key~1v2~1server/get/responses/200/content/application~1json/schema");
        assertFalse(schema.isMissingNode());
        ObjectNode doc = document();
        for (JsonNode required : schema.get("required")) {
            assertTrue(doc.has(required.textValue()), "missing " + required);
        }
        for (String name : List.of("server_name", "verify_keys", "old_verify_keys", "valid_until_ts", "signatures")) {
            assertTrue(schema.get("properties").has(name), name);
        }
    }

    /** The spec's example response carries placeholder signatures, which must not verify. */
    @Test
    void theSpecExampleIsNotValidlySigned() throws IOException {
        JsonNode example = CanonicalJson.mapper().readTree(Files.readAllBytes(TestVectorsPath.specFile("server-server.json")))
                .at("/paths/~1_matrix~1key~1v2~1server/get/responses/200/content/application~1json/schema/example");
        assertThrows(KeyException.class, () -> ServerKeyDocument.verify(ServerName.of("example.org"), (ObjectNode) example));
    }
}
