package dev.myelin.federation.crypto;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.regex.Pattern;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * An Ed25519 signing key with its key ID ({@code ed25519:<version>}), as a homeserver uses to
 * sign events and federation requests. Immutable and thread-safe; the BouncyCastle key objects
 * are built once, so {@link #sign} does no key set-up.
 */
public final class SigningKey {
    /** The algorithm prefix of Ed25519 key IDs. */
    public static final String ALGORITHM = "ed25519";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9_]+");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String keyId;
    private final Ed25519PrivateKeyParameters privateKey;
    private final Ed25519PublicKeyParameters publicKey;
    private final byte[] publicKeyBytes;
    private final String publicKeyBase64;

    private SigningKey(String keyId, byte[] seed) {
        if (keyId == null || !keyId.startsWith(ALGORITHM + ":")
                || !VERSION.matcher(keyId.substring(ALGORITHM.length() + 1)).matches()) {
            throw new IllegalArgumentException("invalid Ed25519 key ID: " + keyId);
        }
        if (seed == null || seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new IllegalArgumentException("an Ed25519 seed has 32 bytes");
        }
        this.keyId = keyId;
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = privateKey.generatePublicKey();
        this.publicKeyBytes = publicKey.getEncoded();
        this.publicKeyBase64 = Base64Unpadded.encode(publicKeyBytes);
    }

    /** A new random key with ID {@code ed25519:<version>}. */
    public static SigningKey generate(String version) {
        byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        RANDOM.nextBytes(seed);
        return new SigningKey(ALGORITHM + ":" + version, seed);
    }

    /** The key with the given ID ({@code ed25519:...}) and 32-byte seed. */
    public static SigningKey fromSeed(String keyId, byte[] seed32) {
        return new SigningKey(keyId, seed32.clone());
    }

    /** Parses the one-line Synapse format {@code ed25519 <version> <unpadded base64 seed>}. */
    public static SigningKey fromFileFormat(String line) {
        String[] parts = line == null ? new String[0] : line.strip().split("\\s+");
        if (parts.length != 3 || !ALGORITHM.equals(parts[0])) {
            throw new IllegalArgumentException("expected 'ed25519 <version> <base64 seed>'");
        }
        return new SigningKey(ALGORITHM + ":" + parts[1], Base64Unpadded.decode(parts[2]));
    }

    /** The one-line Synapse format {@code ed25519 <version> <unpadded base64 seed>}. */
    public String toFileFormat() {
        return ALGORITHM + " " + version() + " " + Base64Unpadded.encode(privateKey.getEncoded());
    }

    /** The key ID, {@code ed25519:<version>}. */
    public String keyId() {
        return keyId;
    }

    /** The part of the key ID after {@code ed25519:}. */
    public String version() {
        return keyId.substring(ALGORITHM.length() + 1);
    }

    /** A copy of the 32-byte private seed. */
    public byte[] seed() {
        return privateKey.getEncoded();
    }

    /** A copy of the 32-byte public key. */
    public byte[] publicKey() {
        return publicKeyBytes.clone();
    }

    /** The public key as unpadded standard base64. */
    public String publicKeyBase64() {
        return publicKeyBase64;
    }

    /** Signs a message; returns the 64-byte Ed25519 signature. */
    public byte[] sign(byte[] message) {
        byte[] signature = new byte[Ed25519.SIGNATURE_SIZE];
        privateKey.sign(Ed25519.Algorithm.Ed25519, publicKey, null, message, 0, message.length, signature, 0);
        return signature;
    }

    /** Whether {@code signature} is a valid Ed25519 signature of {@code message} by {@code publicKey}. */
    public static boolean verify(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey == null || publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE
                || signature == null || signature.length != Ed25519.SIGNATURE_SIZE || message == null) {
            return false;
        }
        try {
            Ed25519PublicKeyParameters key = new Ed25519PublicKeyParameters(publicKey, 0);
            return key.verify(Ed25519.Algorithm.Ed25519, null, message, 0, message.length, signature, 0);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return "SigningKey[" + keyId + ", public " + publicKeyBase64 + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SigningKey k && k.keyId.equals(keyId) && Arrays.equals(k.publicKeyBytes, publicKeyBytes);
    }

    @Override
    public int hashCode() {
        return keyId.hashCode() * 31 + Arrays.hashCode(publicKeyBytes);
    }
}
