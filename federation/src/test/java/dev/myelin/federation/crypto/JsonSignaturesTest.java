package dev.myelin.federation.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.TestVectors;
import dev.myelin.federation.json.CanonicalJson;
import org.junit.jupiter.api.Test;

class JsonSignaturesTest {
    private final SigningKey key = SigningKeyTest.vectorKey();

    @Test
    void specVectors() {
        for (JsonNode c : TestVectors.get().get("json_signing")) {
            ObjectNode input = (ObjectNode) c.get("input");
            ObjectNode signed = JsonSignatures.sign(input, "domain", key);
            assertEquals(c.get("signature").textValue(), signed.at("/signatures/domain/ed25519:1").textValue());
            assertFalse(input.has("signatures"), "input must not be modified");
            assertTrue(JsonSignatures.verify(signed, "domain", "ed25519:1", key.publicKey()));
        }
    }

    @Test
    void ignoresUnsignedAndKeepsOtherSignatures() {
        ObjectNode json = (ObjectNode) CanonicalJson.parse(
                "{\"one\":1,\"unsigned\":{\"age\":5},\"signatures\":{\"other\":{\"ed25519:x\":\"abc\"}}}");
        ObjectNode signed = JsonSignatures.sign(json, "domain", key);
        assertEquals("abc", signed.at("/signatures/other/ed25519:x").textValue());
        ((ObjectNode) signed.get("unsigned")).put("age", 99);
        assertTrue(JsonSignatures.verify(signed, "domain", "ed25519:1", key.publicKey()));
        signed.put("one", 2);
        assertFalse(JsonSignatures.verify(signed, "domain", "ed25519:1", key.publicKey()));
    }

    @Test
    void verifyFailsCleanly() {
        ObjectNode json = (ObjectNode) CanonicalJson.parse("{\"a\":1,\"signatures\":{\"domain\":{\"ed25519:1\":\"!!\"}}}");
        assertFalse(JsonSignatures.verify(json, "domain", "ed25519:1", key.publicKey()));
        assertFalse(JsonSignatures.verify(json, "domain", "ed25519:2", key.publicKey()));
        assertFalse(JsonSignatures.verify(json, "nobody", "ed25519:1", key.publicKey()));
        ObjectNode signed = JsonSignatures.sign((ObjectNode) CanonicalJson.parse("{\"a\":1}"), "domain", key);
        assertFalse(JsonSignatures.verify(signed, "domain", "ed25519:1", SigningKey.generate("2").publicKey()));
    }
}
