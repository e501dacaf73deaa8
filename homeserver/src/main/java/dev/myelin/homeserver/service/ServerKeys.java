package dev.myelin.homeserver.service;

import dev.myelin.federation.crypto.SigningKey;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;

/** The server's Ed25519 signing key, generated once and kept in the data directory. */
public final class ServerKeys {
    private static final String FILE = "signing.key";

    private ServerKeys() {
    }

    public static SigningKey loadOrGenerate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return SigningKey.fromFileFormat(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            SigningKey key = SigningKey.generate("a_" + Long.toString(System.currentTimeMillis() % 100000, 36));
            Path tmp = dataDir.resolve(FILE + ".tmp");
            Files.writeString(tmp, key.toFileFormat() + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
            Files.move(tmp, file);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the signing key " + file, e);
        }
    }
}
