package dev.myelin.federation.event;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.TestVectors;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.SigningKey;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Content hashes, event signatures and event IDs against the spec's test vectors. */
class EventVectorsTest {
    static final Map<String, RoomVersion> RULES = Map.of("v1-v10", RoomVersion.V10, "v11", RoomVersion.V11);

    static SigningKey key() {
        JsonNode k = TestVectors.get().get("signing_key");
        return SigningKey.fromSeed(k.get("key_id").textValue(),
                Base64Unpadded.decode(k.get("seed_unpadded_base64").textValue()));
    }

    @Test
    void contentHashes() {
        for (JsonNode c : TestVectors.get().get("events")) {
            ObjectNode input = (ObjectNode) c.get("input");
            assertEquals(c.get("content_hash_sha256").textValue(), ContentHash.compute(input), c.get("name").textValue());
            assertFalse(ContentHash.matches(input));
            ObjectNode hashed = input.deepCopy();
            hashed.putObject("hashes").put("sha256", ContentHash.compute(input));
            assertTrue(ContentHash.matches(hashed));
            hashed.put("type", "other");
            assertFalse(ContentHash.matches(hashed));
        }
    }

    @Test
    void signaturesAndEventIds() {
        SigningKey key = key();
        int ids = 0;
        for (JsonNode c : TestVectors.get().get("events")) {
            String name = c.get("name").textValue();
            for (Map.Entry<String, JsonNode> rule : c.get("by_redaction_rules").properties()) {
                RoomVersion v = RULES.get(rule.getKey());
                ObjectNode signed = EventSigning.hashAndSign((ObjectNode) c.get("input"), v, "domain", key);
                assertEquals(rule.getValue().get("signature").textValue(),
                        signed.at("/signatures/domain/ed25519:1").textValue(), name + " " + rule.getKey());
                assertTrue(EventSigning.verify(signed, v, "domain", "ed25519:1", key.publicKey()));
                assertFalse(EventSigning.verify(signed, v, "domain", "ed25519:1", SigningKey.generate("x").publicKey()));
                if (rule.getValue().has("event_id")) {
                    assertEquals(rule.getValue().get("event_id").textValue(), EventIds.compute(signed, v).value(),
                            name + " " + rule.getKey());
                    ids++;
                }
            }
        }
        assertTrue(ids >= 2);
    }

    @Test
    void eventIdFormatsPerVersion() {
        ObjectNode event = (ObjectNode) TestVectors.get().get("events").get(0).get("input");
        byte[] hash = EventIds.referenceHash(event, RoomVersion.V3);
        assertEquals("$" + Base64Unpadded.encode(hash), EventIds.compute(event, RoomVersion.V3).value());
        assertEquals("$" + Base64Unpadded.encodeUrlSafe(hash), EventIds.compute(event, RoomVersion.V4).value());
        assertThrows(IllegalArgumentException.class, () -> EventIds.compute(event, RoomVersion.V1));
    }

    @Test
    void eventIdIgnoresSignaturesUnsignedAndRedactedKeys() {
        ObjectNode event = (ObjectNode) TestVectors.get().get("events").get(0).get("input").deepCopy();
        String id = EventIds.compute(event, RoomVersion.V10).value();
        event.putObject("unsigned").put("age", 1);
        ((ObjectNode) event.get("signatures")).putObject("other").put("ed25519:1", "x");
        event.put("extra", "dropped by redaction");
        assertEquals(id, EventIds.compute(event, RoomVersion.V10).value());
        event.put("depth", 4);
        assertFalse(id.equals(EventIds.compute(event, RoomVersion.V10).value()));
    }
}
