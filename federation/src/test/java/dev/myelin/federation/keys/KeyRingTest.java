package dev.myelin.federation.keys;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.JsonSignatures;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class KeyRingTest {
    static final long NOW = 1_700_000_000_000L;
    static final long HOUR = 3_600_000L;
    static final ServerName SELF = ServerName.of("self.example");
    static final ServerName ORIGIN = ServerName.of("origin.example");
    static final ServerName NOTARY = ServerName.of("notary.example");
    final SigningKey selfKey = SigningKey.generate("self");
    final SigningKey originKey = SigningKey.generate("o1");
    final SigningKey notaryKey = SigningKey.generate("n1");
    final TestClock clock = new TestClock(NOW);
    final FakeFetcher net = new FakeFetcher();
    final KeyRing ring = new KeyRing(SELF, selfKey, net, List.of(NOTARY), clock);

    ObjectNode originDoc(SigningKey key, long validUntil, OldVerifyKey... old) {
        return ServerKeyDocument.build(ORIGIN, key, List.of(old), validUntil);
    }

    Optional<byte[]> originKeyAt(String keyId, long ts) {
        return ring.verifyKey(ORIGIN, keyId, ts);
    }

    @Test
    void ourOwnKeyIsServedForSelfWithoutFetching() {
        assertArrayEquals(selfKey.publicKey(), ring.verifyKey(SELF, selfKey.keyId(), NOW).orElseThrow());
        assertTrue(ring.verifyKey(SELF, "ed25519:other", NOW).isEmpty());
        assertEquals(0, net.directCalls(SELF));
        ServerKeys own = ServerKeyDocument.verify(SELF, ring.ownDocument());
        assertEquals(NOW + KeyRing.OWN_VALIDITY_MS, own.validUntilTs());
    }

    @Test
    void ourOldKeysVerifyOurOldEvents() {
        SigningKey retired = SigningKey.generate("retired");
        KeyRing withOld = new KeyRing(SELF, selfKey, List.of(new OldVerifyKey(retired.keyId(), retired.publicKeyBase64(), NOW - HOUR)),
                net, List.of(), clock);
        assertArrayEquals(retired.publicKey(), withOld.verifyKey(SELF, retired.keyId(), NOW - 2 * HOUR).orElseThrow());
        assertTrue(withOld.verifyKey(SELF, retired.keyId(), NOW).isEmpty());
        assertTrue(withOld.ownDocument().at("/old_verify_keys/ed25519:retired/key").isTextual());
    }

    @Test
    void fetchesDirectlyOnceThenServesFromCache() {
        net.serve(ORIGIN, originDoc(originKey, NOW + HOUR));
        assertArrayEquals(originKey.publicKey(), originKeyAt(originKey.keyId(), NOW).orElseThrow());
        assertArrayEquals(originKey.publicKey(), originKeyAt(originKey.keyId(), NOW - HOUR).orElseThrow());
        assertEquals(1, net.directCalls(ORIGIN));
        assertEquals(0, net.notaryCalls(NOTARY));
    }

    @Test
    void aKeyNeededAfterValidUntilTriggersARefetch() {
        net.serve(ORIGIN, originDoc(originKey, NOW + HOUR));
        assertTrue(originKeyAt(originKey.keyId(), NOW).isPresent());
        net.serve(ORIGIN, originDoc(originKey, NOW + 3 * HOUR));
        clock.advance(2 * HOUR);
        assertTrue(originKeyAt(originKey.keyId(), NOW + 2 * HOUR).isPresent());
        assertEquals(2, net.directCalls(ORIGIN));
    }

    @Test
    void validUntilIsCappedAtSevenDaysAfterFetching() {
        net.serve(ORIGIN, originDoc(originKey, NOW + 365 * 24 * HOUR));
        assertTrue(originKeyAt(originKey.keyId(), NOW).isPresent());
        long eightDays = 8 * 24 * HOUR;
        clock.advance(eightDays);
        assertTrue(originKeyAt(originKey.keyId(), NOW + eightDays).isPresent());
        assertEquals(2, net.directCalls(ORIGIN), "a key past the 7-day cap is fetched again");
        net.down(ORIGIN);
        clock.advance(eightDays);
        assertTrue(originKeyAt(originKey.keyId(), NOW + 2 * eightDays).isEmpty());
        assertTrue(originKeyAt(originKey.keyId(), NOW).isPresent(), "still valid for older events");
    }

    @Test
    void oldVerifyKeysServeOldEventsOnly() {
        SigningKey newKey = SigningKey.generate("o2");
        long rotated = NOW - HOUR;
        net.serve(ORIGIN, originDoc(newKey, NOW + HOUR,
                new OldVerifyKey(originKey.keyId(), originKey.publicKeyBase64(), rotated)));
        assertArrayEquals(originKey.publicKey(), originKeyAt(originKey.keyId(), rotated - 1).orElseThrow());
        assertTrue(originKeyAt(originKey.keyId(), rotated + 1).isEmpty());
        assertArrayEquals(newKey.publicKey(), originKeyAt(newKey.keyId(), NOW).orElseThrow());
    }

    @Test
    void aLaterDocumentRetiringAKeyOverridesTheEarlierOne() {
        ring.remember(ServerKeyDocument.verify(ORIGIN, originDoc(originKey, NOW + HOUR)));
        SigningKey newKey = SigningKey.generate("o2");
        ring.remember(ServerKeyDocument.verify(ORIGIN, originDoc(newKey, NOW + 2 * HOUR,
                new OldVerifyKey(originKey.keyId(), originKey.publicKeyBase64(), NOW - HOUR))));
        net.down(ORIGIN);
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());
        assertTrue(originKeyAt(originKey.keyId(), NOW - 2 * HOUR).isPresent());
    }

    @Test
    void notaryIsAskedWhenTheOriginIsDownAndItsSignatureIsChecked() {
        net.serve(NOTARY, ServerKeyDocument.build(NOTARY, notaryKey, List.of(), NOW + HOUR));
        net.notarise(NOTARY, JsonSignatures.sign(originDoc(originKey, NOW + HOUR), NOTARY.value(), notaryKey));
        assertArrayEquals(originKey.publicKey(), originKeyAt(originKey.keyId(), NOW).orElseThrow());
        assertEquals(1, net.directCalls(ORIGIN));
        assertEquals(1, net.notaryCalls(NOTARY));
        assertEquals(NOW, net.lastMinimumValidUntil.get(NOTARY));
        assertEquals(1, net.directCalls(NOTARY), "the notary's own key comes from the notary");
    }

    @Test
    void aNotaryKeyCanItselfComeThroughAnotherNotaryWithoutLooping() {
        ServerName second = ServerName.of("second.example");
        SigningKey secondKey = SigningKey.generate("s1");
        KeyRing two = new KeyRing(SELF, selfKey, net, List.of(NOTARY, second), clock);
        net.serve(second, ServerKeyDocument.build(second, secondKey, List.of(), NOW + HOUR));
        ObjectNode notaryDoc = ServerKeyDocument.build(NOTARY, notaryKey, List.of(), NOW + HOUR);
        ObjectNode viaNotary = JsonSignatures.sign(originDoc(originKey, NOW + HOUR), NOTARY.value(), notaryKey);
        net.notarise(NOTARY, viaNotary, JsonSignatures.sign(notaryDoc, NOTARY.value(), notaryKey));
        net.notarise(second, JsonSignatures.sign(notaryDoc, second.value(), secondKey));
        assertArrayEquals(originKey.publicKey(), two.verifyKey(ORIGIN, originKey.keyId(), NOW).orElseThrow());
        assertEquals(1, net.notaryCalls(NOTARY), "the notary is not asked for its own key");
        assertEquals(1, net.notaryCalls(second));
    }

    @Test
    void notaryDocumentWithoutAValidNotarySignatureIsRejected() {
        net.serve(NOTARY, ServerKeyDocument.build(NOTARY, notaryKey, List.of(), NOW + HOUR));
        SigningKey impostor = SigningKey.generate("n1");
        net.notarise(NOTARY, JsonSignatures.sign(originDoc(originKey, NOW + HOUR), NOTARY.value(), impostor));
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());
        net.notarise(NOTARY, originDoc(originKey, NOW + HOUR));
        clock.advance(KeyRing.BACKOFF_MS + 1);
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty(), "unsigned by the notary");
    }

    @Test
    void notaryResponseWithAForgedOriginSignatureIsRejected() {
        net.serve(NOTARY, ServerKeyDocument.build(NOTARY, notaryKey, List.of(), NOW + HOUR));
        SigningKey forged = SigningKey.generate("o1");
        ObjectNode doc = originDoc(forged, NOW + HOUR);
        ((ObjectNode) doc.at("/verify_keys/ed25519:o1")).put("key", originKey.publicKeyBase64());
        net.notarise(NOTARY, JsonSignatures.sign(doc, NOTARY.value(), notaryKey));
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());

        ObjectNode swapped = originDoc(originKey, NOW + HOUR);
        ((ObjectNode) swapped.at("/verify_keys/ed25519:o1")).put("key", forged.publicKeyBase64());
        net.notarise(NOTARY, JsonSignatures.sign(swapped, NOTARY.value(), notaryKey));
        clock.advance(KeyRing.BACKOFF_MS + 1);
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());
    }

    @Test
    void notaryDocumentsForAnotherServerAreIgnored() {
        ServerName other = ServerName.of("other.example");
        net.serve(NOTARY, ServerKeyDocument.build(NOTARY, notaryKey, List.of(), NOW + HOUR));
        ObjectNode otherDoc = ServerKeyDocument.build(other, originKey, List.of(), NOW + HOUR);
        net.notarise(NOTARY, JsonSignatures.sign(otherDoc, NOTARY.value(), notaryKey));
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());
    }

    @Test
    void failuresAreRememberedForABackOff() {
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());
        assertEquals(1, net.directCalls(ORIGIN));
        assertEquals(1, net.notaryCalls(NOTARY));

        net.serve(ORIGIN, originDoc(originKey, NOW + HOUR));
        clock.advance(KeyRing.BACKOFF_MS - 1);
        assertTrue(originKeyAt(originKey.keyId(), NOW).isEmpty());
        assertEquals(1, net.directCalls(ORIGIN));
        clock.advance(2);
        assertTrue(originKeyAt(originKey.keyId(), NOW).isPresent());
        assertEquals(2, net.directCalls(ORIGIN));
    }

    @Test
    void oneFetchInFlightPerServer() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        ObjectNode doc = originDoc(originKey, NOW + HOUR);
        net.direct.put(ORIGIN, () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return doc;
        });
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<byte[]>>> results = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                results.add(pool.submit(() -> originKeyAt(originKey.keyId(), NOW)));
            }
            Thread.sleep(200);
            release.countDown();
            for (Future<Optional<byte[]>> r : results) {
                assertTrue(r.get().isPresent());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, net.directCalls(ORIGIN));
    }

    @Test
    void asANotaryWeServeOurOwnDocument() {
        List<ObjectNode> docs = ring.notaryResponse(SELF, NOW);
        assertEquals(1, docs.size());
        ServerKeyDocument.verify(SELF, docs.get(0));
    }

    @Test
    void asANotaryWeCosignTheOriginDocument() {
        ObjectNode doc = JsonSignatures.sign(originDoc(originKey, NOW + HOUR), "someone.example", notaryKey);
        net.serve(ORIGIN, doc);
        List<ObjectNode> docs = ring.notaryResponse(ORIGIN, NOW);
        assertEquals(1, docs.size());
        ObjectNode served = docs.get(0);
        ServerKeyDocument.verify(ORIGIN, served);
        assertTrue(JsonSignatures.verify(served, SELF.value(), selfKey.keyId(), selfKey.publicKey()));
        assertFalse(served.path("signatures").has("someone.example"));
        assertEquals(1, net.directCalls(ORIGIN));

        ring.notaryResponse(ORIGIN, NOW + HOUR);
        assertEquals(1, net.directCalls(ORIGIN), "still fresh enough");
        net.down(ORIGIN);
        List<ObjectNode> stale = ring.notaryResponse(ORIGIN, NOW + 2 * HOUR);
        assertEquals(2, net.directCalls(ORIGIN), "refreshed when asked for a later minimum");
        assertEquals(1, stale.size(), "the last document is served while the origin is down");
        assertTrue(ring.notaryResponse(ServerName.of("never.example"), NOW).isEmpty());
    }
}
