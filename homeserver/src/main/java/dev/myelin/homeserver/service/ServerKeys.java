package dev.myelin.homeserver.service;

import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.homeserver.config.DataFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The server's Ed25519 signing keys, kept in the data directory.
 *
 * <ul>
 *   <li>{@code signing.key}: the current key, one line {@code ed25519 <version> <base64 seed>} (Synapse's
 *       format), mode 600.</li>
 *   <li>{@code old_signing_keys}: keys retired by {@link #rotate}, one line each
 *       {@code ed25519 <version> <unpadded base64 public key> <expired_ts>}, where {@code expired_ts} is
 *       the retirement time in milliseconds since the epoch; the key server publishes them as
 *       {@code old_verify_keys}. Blank lines and lines starting with {@code #} are ignored.</li>
 * </ul>
 */
public final class ServerKeys {
    private static final String FILE = "signing.key";
    private static final String OLD_FILE = "old_signing_keys";

    private ServerKeys() {
    }

    /** The current key and the retired ones, oldest first. */
    public record Loaded(SigningKey current, List<OldKey> old) {
        public Loaded {
            old = List.copyOf(old);
        }
    }

    /**
     * A retired verify key.
     *
     * @param keyId           {@code ed25519:<version>}
     * @param publicKeyBase64 the public key, unpadded base64
     * @param expiredTs       when it was retired, milliseconds since the epoch
     */
    public record OldKey(String keyId, String publicKeyBase64, long expiredTs) {
        /** The line this key takes in {@code old_signing_keys}. */
        String toLine() {
            return keyId.replaceFirst(":", " ") + " " + publicKeyBase64 + " " + expiredTs;
        }

        static OldKey parse(String line) {
            String[] parts = line.strip().split("\\s+");
            if (parts.length != 4 || !SigningKey.ALGORITHM.equals(parts[0]) || !parts[1].matches("[A-Za-z0-9_]+")) {
                throw new IllegalArgumentException("expected 'ed25519 <version> <base64 public key> <expired_ts>'");
            }
            if (Base64Unpadded.decode(parts[2]).length != 32) {
                throw new IllegalArgumentException("an Ed25519 public key has 32 bytes");
            }
            return new OldKey(SigningKey.ALGORITHM + ":" + parts[1], parts[2], Long.parseLong(parts[3]));
        }
    }

    /** The current key, generated on the first start. */
    public static SigningKey loadOrGenerate(Path dataDir) {
        Path file = dataDir.resolve(FILE);
        try {
            if (Files.exists(file)) {
                return SigningKey.fromFileFormat(Files.readString(file, StandardCharsets.UTF_8).trim());
            }
            SigningKey key = SigningKey.generate(newVersion(System.currentTimeMillis() % 100000, Set.of()));
            writeCurrent(dataDir, key);
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the signing key " + file, e);
        }
    }

    /** The current key (generated on the first start) and the retired ones. */
    public static Loaded loadAll(Path dataDir) {
        SigningKey current = loadOrGenerate(dataDir);
        return new Loaded(current, readOld(dataDir).stream().filter(k -> !k.keyId().equals(current.keyId())).toList());
    }

    /**
     * Retires the current key (it joins {@code old_signing_keys} with {@code expired_ts = nowMillis}) and makes
     * a new one with a new version current. The list is written before the new key, so a crash in between
     * leaves the old key current and the list naming it, which {@link #loadAll} ignores.
     */
    public static Loaded rotate(Path dataDir, long nowMillis) {
        Loaded before = loadAll(dataDir);
        SigningKey retiring = before.current();
        List<OldKey> old = new ArrayList<>(before.old());
        old.add(new OldKey(retiring.keyId(), retiring.publicKeyBase64(), nowMillis));
        Set<String> taken = new HashSet<>();
        old.forEach(k -> taken.add(k.keyId()));
        SigningKey next = SigningKey.generate(newVersion(nowMillis, taken));
        try {
            StringBuilder text = new StringBuilder("# ed25519 <version> <public key> <expired_ts>\n");
            old.forEach(k -> text.append(k.toLine()).append('\n'));
            DataFiles.write(dataDir.resolve(OLD_FILE), text.toString(), false);
            writeCurrent(dataDir, next);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rotate the signing key in " + dataDir, e);
        }
        return new Loaded(next, old);
    }

    private static List<OldKey> readOld(Path dataDir) {
        Path file = dataDir.resolve(OLD_FILE);
        if (!Files.exists(file)) {
            return List.of();
        }
        List<OldKey> keys = new ArrayList<>();
        try {
            int number = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                number++;
                if (line.isBlank() || line.strip().startsWith("#")) {
                    continue;
                }
                try {
                    keys.add(OldKey.parse(line));
                } catch (IllegalArgumentException e) {
                    throw new IllegalStateException(file + " line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        return keys;
    }

    private static String newVersion(long seed, Set<String> taken) {
        String version = "a_" + Long.toString(seed, 36);
        for (int i = 2; taken.contains(SigningKey.ALGORITHM + ":" + version); i++) {
            version = "a_" + Long.toString(seed, 36) + "_" + i;
        }
        return version;
    }

    private static void writeCurrent(Path dataDir, SigningKey key) throws IOException {
        DataFiles.write(dataDir.resolve(FILE), key.toFileFormat() + "\n", true);
    }
}
