package dev.myelin.federation.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.json.CanonicalJson;
import org.junit.jupiter.api.Test;

class XMatrixAuthTest {
    private static final ServerName ORIGIN = ServerName.of("origin.hs.example.com");
    private static final ServerName DEST = ServerName.of("destination.hs.example.com");
    private final SigningKey key = SigningKey.generate("key1");

    @Test
    void parsesTheSpecExample() {
        XMatrixAuth auth = XMatrixAuth.parse("X-Matrix origin=\"origin.hs.example.com\","
                + "destination=\"destination.hs.example.com\",key=\"ed25519:key1\",sig=\"ABCDEF...\"");
        assertEquals(ORIGIN, auth.origin());
        assertEquals(DEST, auth.destination());
        assertEquals("ed25519:key1", auth.keyId());
        assertEquals("ABCDEF...", auth.signature());
    }

    @Test
    void parsesUnquotedCaseInsensitiveSpacedAndEscapedValues() {
        XMatrixAuth auth = XMatrixAuth.parse("x-matrix   ORIGIN=origin.example.com:8448 , Key=\"ed25519:a\\\"b\","
                + " sig=abc+/def , extra=\"ignored\"");
        assertEquals(ServerName.of("origin.example.com:8448"), auth.origin());
        assertNull(auth.destination());
        assertEquals("ed25519:a\"b", auth.keyId());
        assertEquals("abc+/def", auth.signature());
    }

    @Test
    void rejectsMalformedHeaders() {
        for (String bad : new String[] {null, "", "Bearer abc", "X-Matrix", "X-Matrix origin=a.com,key=\"k\"",
                "X-Matrix key=\"k\",sig=\"s\"", "X-Matrix origin=\"a.com\",key=\"k\",sig=\"s",
                "X-Matrix origin=\"a.com\" key=\"k\",sig=\"s\"", "X-Matrix origin=a.com,origin=b.com,key=k,sig=s",
                "X-Matrix origin=\"not a name\",key=k,sig=s", "X-Matrix origin=a.com,destination=\"b c\",key=k,sig=s",
                "X-Matrix origin=a.com,key,sig=s"}) {
            assertThrows(XMatrixException.class, () -> XMatrixAuth.parse(bad), String.valueOf(bad));
        }
    }

    @Test
    void signedHeaderRoundTripsAndVerifies() {
        JsonNode content = CanonicalJson.parse("{\"pdus\":[],\"edus\":[{\"x\":1}]}");
        XMatrixAuth auth = XMatrixAuth.sign(key, ORIGIN, DEST, "PUT", "/_matrix/federation/v1/send/1", content);
        String header = auth.header();
        assertTrue(header.startsWith("X-Matrix origin=\"origin.hs.example.com\",destination="), header);
        XMatrixAuth parsed = XMatrixAuth.parse(header);
        assertEquals(auth, parsed);
        byte[] pub = key.publicKey();
        assertTrue(parsed.verify(pub, "PUT", "/_matrix/federation/v1/send/1",
                CanonicalJson.parse("{\"edus\":[{\"x\":1}],\"pdus\":[]}")));
        assertFalse(parsed.verify(pub, "PUT", "/_matrix/federation/v1/send/2", content));
        assertFalse(parsed.verify(pub, "POST", "/_matrix/federation/v1/send/1", content));
        assertFalse(parsed.verify(pub, "PUT", "/_matrix/federation/v1/send/1", CanonicalJson.parse("{\"pdus\":[]}")));
        assertFalse(parsed.verify(pub, "PUT", "/_matrix/federation/v1/send/1", null));
        assertFalse(parsed.verify(SigningKey.generate("other").publicKey(), "PUT", "/_matrix/federation/v1/send/1", content));
        XMatrixAuth otherDest = new XMatrixAuth(ORIGIN, ServerName.of("evil.example.com"), auth.keyId(), auth.signature());
        assertFalse(otherDest.verify(pub, "PUT", "/_matrix/federation/v1/send/1", content));
        XMatrixAuth otherOrigin = new XMatrixAuth(ServerName.of("evil.example.com"), DEST, auth.keyId(), auth.signature());
        assertFalse(otherOrigin.verify(pub, "PUT", "/_matrix/federation/v1/send/1", content));
    }

    @Test
    void getWithoutBodySignsNoContent() {
        XMatrixAuth auth = XMatrixAuth.sign(key, ORIGIN, DEST, "GET", "/_matrix/federation/v1/version?a=%24b", null);
        assertTrue(auth.verify(key.publicKey(), "GET", "/_matrix/federation/v1/version?a=%24b", null));
        assertFalse(auth.verify(key.publicKey(), "GET", "/_matrix/federation/v1/version?a=$b", null));
        assertFalse(auth.verify(key.publicKey(), "GET", "/_matrix/federation/v1/version?a=%24b",
                CanonicalJson.parse("{}")));
    }

    @Test
    void olderSendersWithoutDestinationVerifyAgainstTheLocalName() {
        XMatrixAuth signed = XMatrixAuth.sign(key, ORIGIN, DEST, "GET", "/x", null);
        XMatrixAuth old = XMatrixAuth.parse("X-Matrix origin=" + ORIGIN + ",key=\"" + signed.keyId()
                + "\",sig=\"" + signed.signature() + "\"");
        assertNull(old.destination());
        assertFalse(old.verify(key.publicKey(), "GET", "/x", null));
        assertTrue(old.verify(key.publicKey(), DEST, "GET", "/x", null));
        assertFalse(old.verify(key.publicKey(), ServerName.of("other.example.com"), "GET", "/x", null));
    }

    @Test
    void malformedSignatureDoesNotVerify() {
        XMatrixAuth auth = new XMatrixAuth(ORIGIN, DEST, "ed25519:key1", "!!not base64!!");
        assertFalse(auth.verify(key.publicKey(), "GET", "/x", null));
    }
}
