package dev.myelin.homeserver.service.account;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link PasswordHasher}: Argon2id hashes in PHC format, verified against the right password only. */
class PasswordHasherTest {
    /** Cheap parameters: the tests check the format and the comparison, not the cost. */
    private final PasswordHasher hasher = new PasswordHasher(256, 1);

    @Test
    void hashIsInPhcFormatWithTheConfiguredCost() {
        String hash = hasher.hash("correct horse");
        assertTrue(hash.matches("\\$argon2id\\$v=19\\$m=256,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}"), hash);
    }

    @Test
    void verifiesTheRightPassword() {
        String hash = hasher.hash("correct horse");
        assertTrue(hasher.verify("correct horse", hash));
    }

    @Test
    void refusesWrongPasswords() {
        String hash = hasher.hash("correct horse");
        assertFalse(hasher.verify("correct horsE", hash));
        assertFalse(hasher.verify("correct horse ", hash));
        assertFalse(hasher.verify("", hash));
        assertFalse(hasher.verify(null, hash));
    }

    @Test
    void saltMakesEveryHashDifferent() {
        String first = hasher.hash("same");
        String second = hasher.hash("same");
        assertNotEquals(first, second);
        assertTrue(hasher.verify("same", first));
        assertTrue(hasher.verify("same", second));
    }

    @Test
    void hashesMadeWithOtherParametersStillVerify() {
        String hash = new PasswordHasher(512, 2).hash("päss wörd");
        assertTrue(hasher.verify("päss wörd", hash));
        assertFalse(hasher.verify("pass word", hash));
    }

    @Test
    void emptyPasswordHashesAndVerifies() {
        assertTrue(hasher.verify("", hasher.hash("")));
    }

    @Test
    void tamperedHashDoesNotVerify() {
        String hash = hasher.hash("secret");
        char last = hash.charAt(hash.length() - 2);
        String tampered = hash.substring(0, hash.length() - 2) + (last == 'A' ? 'B' : 'A') + hash.charAt(hash.length() - 1);
        assertFalse(hasher.verify("secret", tampered));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "not a hash", "$2b$12$abcdefghijklmnopqrstuuABCDEFGHIJKLMNOPQRSTUVWXYZ01234",
            "$argon2i$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0$aGFzaA",
            "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0",
            "$argon2id$v=19$m=lots,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
            "$argon2id$v=19$m,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
            "$argon2id$v=19$m=256,t=1,p=1,x=3$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
            "$argon2id$v=19$m=256,t=1,p=1$not*base64$aGFzaGhhc2hoYXNo",
            "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$%%%%",
            "$argon2id$v=19$m=256,t=0,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
            "$argon2id$v=19$m=256,t=1,p=0$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNo",
            "$argon2id$v=19$m=256,t=1,p=1$c2FsdHNhbHRzYWx0c2FsdA$"})
    void garbageNeverVerifiesAndNeverThrows(String encoded) {
        assertFalse(hasher.verify("secret", encoded));
    }

    @Test
    void nullHashDoesNotVerify() {
        assertFalse(hasher.verify("secret", null));
    }
}
