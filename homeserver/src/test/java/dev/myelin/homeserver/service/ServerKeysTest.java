package dev.myelin.homeserver.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.homeserver.service.ServerKeys.Loaded;
import dev.myelin.homeserver.service.ServerKeys.OldKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ServerKeys}: the current signing key, rotation, and the retired keys kept for {@code old_verify_keys}. */
class ServerKeysTest {
    @TempDir
    Path dir;

    @Test
    void generatesOnceThenReloads() throws IOException {
        Loaded first = ServerKeys.loadAll(dir);
        assertEquals(List.of(), first.old());
        assertEquals(first.current(), ServerKeys.loadOrGenerate(dir));
        assertEquals(first, ServerKeys.loadAll(dir));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("signing.key"))));
    }

    @Test
    void rotationRetiresTheCurrentKeyWithItsExpiry() {
        SigningKey original = ServerKeys.loadOrGenerate(dir);
        Loaded once = ServerKeys.rotate(dir, 1_700_000_000_000L);
        assertNotEquals(original.keyId(), once.current().keyId());
        assertEquals(List.of(new OldKey(original.keyId(), original.publicKeyBase64(), 1_700_000_000_000L)), once.old());

        Loaded twice = ServerKeys.rotate(dir, 1_700_000_000_000L);
        assertEquals(3, List.of(original.keyId(), once.current().keyId(), twice.current().keyId()).stream()
                .distinct().count());
        assertEquals(List.of(once.old().get(0), new OldKey(once.current().keyId(),
                once.current().publicKeyBase64(), 1_700_000_000_000L)), twice.old());

        assertEquals(twice, ServerKeys.loadAll(dir));
        assertEquals(twice.current(), ServerKeys.loadOrGenerate(dir));
    }

    @Test
    void rotatingWithoutAKeyGeneratesOneFirst() {
        Loaded rotated = ServerKeys.rotate(dir, 5);
        assertEquals(1, rotated.old().size());
        assertEquals(5, rotated.old().get(0).expiredTs());
    }

    @Test
    void theOldKeysFileIsDocumentedLines() throws IOException {
        SigningKey original = ServerKeys.loadOrGenerate(dir);
        ServerKeys.rotate(dir, 42);
        List<String> lines = Files.readAllLines(dir.resolve("old_signing_keys"));
        assertTrue(lines.get(0).startsWith("#"));
        assertEquals("ed25519 " + original.version() + " " + original.publicKeyBase64() + " 42", lines.get(1));
    }

    @Test
    void anOldKeyListNamingTheCurrentKeyIsIgnoredForIt() throws IOException {
        SigningKey current = ServerKeys.loadOrGenerate(dir);
        Files.writeString(dir.resolve("old_signing_keys"),
                "\n# comment\ned25519 " + current.version() + " " + current.publicKeyBase64() + " 9\n");
        assertEquals(List.of(), ServerKeys.loadAll(dir).old());
    }

    @Test
    void aDamagedOldKeysFileIsReportedWithItsLine() throws IOException {
        ServerKeys.loadOrGenerate(dir);
        Files.writeString(dir.resolve("old_signing_keys"), "# header\ned25519 a_1 notakey 7\n");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> ServerKeys.loadAll(dir));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }
}
