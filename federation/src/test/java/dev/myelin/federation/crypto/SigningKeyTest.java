package dev.myelin.federation.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.TestVectors;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SigningKeyTest {

    static SigningKey vectorKey() {
        JsonNode k = TestVectors.get().get("signing_key");
        return SigningKey.fromSeed(k.get("key_id").textValue(),
                Base64Unpadded.decode(k.get("seed_unpadded_base64").textValue()));
    }

    @Test
    void derivesPublicKeyFromSpecSeed() {
        JsonNode k = TestVectors.get().get("signing_key");
        SigningKey key = vectorKey();
        assertEquals("ed25519:1", key.keyId());
        assertEquals("1", key.version());
        assertEquals(k.get("public_key_unpadded_base64").textValue(), key.publicKeyBase64());
        assertArrayEquals(Base64Unpadded.decode(k.get("seed_unpadded_base64").textValue()), key.seed());
    }

    @Test
    void signAndVerify() {
        SigningKey key = SigningKey.generate("a_bcDE");
        assertEquals("ed25519:a_bcDE", key.keyId());
        byte[] msg = "hello".getBytes(StandardCharsets.UTF_8);
        byte[] sig = key.sign(msg);
        assertEquals(64, sig.length);
        assertTrue(SigningKey.verify(key.publicKey(), msg, sig));
        assertFalse(SigningKey.verify(key.publicKey(), "hellO".getBytes(StandardCharsets.UTF_8), sig));
        sig[0] ^= 1;
        assertFalse(SigningKey.verify(key.publicKey(), msg, sig));
        assertFalse(SigningKey.verify(key.publicKey(), msg, new byte[10]));
        assertFalse(SigningKey.verify(new byte[5], msg, key.sign(msg)));
        assertNotEquals(key, SigningKey.generate("a_bcDE"));
    }

    @Test
    void fileFormatRoundTrip() {
        SigningKey key = vectorKey();
        String line = key.toFileFormat();
        // The spec's seed text has non-zero trailing bits; re-encoding gives the canonical form.
        assertEquals("ed25519 1 YJDBA9Xnr2sVqXD9Vj7XVUnmFZcZrlw8Md7kMW+3XA0", line);
        SigningKey back = SigningKey.fromFileFormat(line + "\n");
        assertEquals(key, back);
        assertEquals(key.publicKeyBase64(), back.publicKeyBase64());
    }

    @Test
    void rejectsBadInput() {
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromFileFormat("ed25519 1"));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromFileFormat("rsa 1 AAAA"));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed("ed25519:1", new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.fromSeed("curve:1", new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> SigningKey.generate("bad version"));
    }
}
