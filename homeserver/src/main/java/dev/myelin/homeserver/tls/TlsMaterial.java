package dev.myelin.homeserver.tls;

import dev.myelin.homeserver.config.ConfigException;
import io.helidon.common.tls.Tls;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * The federation listener's private key and certificate chain (leaf first), from configured PEM files
 * or from the self-signed pair kept in the data directory ({@link SelfSignedCertificate}).
 *
 * @param privateKey the key of the leaf certificate
 * @param chain      the leaf certificate followed by its intermediates
 */
public record TlsMaterial(PrivateKey privateKey, List<X509Certificate> chain) {
    public TlsMaterial {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least one certificate");
        }
    }

    /**
     * Reads a PEM certificate chain and a PEM private key: PKCS#8 ({@code PRIVATE KEY}), PKCS#1
     * ({@code RSA PRIVATE KEY}) or SEC1 ({@code EC PRIVATE KEY}); encrypted keys are refused.
     *
     * @throws ConfigException if a file is missing, holds no certificate or key, or the key does not match
     */
    public static TlsMaterial load(Path certFile, Path keyFile) {
        List<X509Certificate> chain = new ArrayList<>();
        PrivateKey key = null;
        for (Object item : readPem(certFile, "federation.tls_cert")) {
            if (item instanceof X509CertificateHolder holder) {
                chain.add(certificate(holder));
            }
        }
        for (Object item : readPem(keyFile, "federation.tls_key")) {
            if (key == null) {
                key = privateKey(item, keyFile);
            }
        }
        if (chain.isEmpty()) {
            throw new ConfigException("federation.tls_cert: no PEM certificate in " + certFile);
        }
        if (key == null) {
            throw new ConfigException("federation.tls_key: no PEM private key in " + keyFile);
        }
        if (!matches(key, chain.get(0))) {
            throw new ConfigException("federation.tls_key " + keyFile + " is not the key of the certificate in "
                    + certFile);
        }
        return new TlsMaterial(key, chain);
    }

    /** The leaf certificate. */
    public X509Certificate certificate() {
        return chain.get(0);
    }

    /** The SHA-256 fingerprint of the leaf certificate, lower-case hex. */
    public String fingerprintSha256() {
        return fingerprint(certificate());
    }

    /** The SHA-256 fingerprint of {@code certificate}'s DER encoding, lower-case hex. */
    public static String fingerprint(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Helidon's server-side TLS settings for this key and chain. */
    public Tls tls() {
        return Tls.builder().privateKey(privateKey).privateKeyCertChain(chain).build();
    }

    private static List<Object> readPem(Path file, String setting) {
        List<Object> items = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
             PEMParser parser = new PEMParser(reader)) {
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                items.add(item);
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(setting + ": cannot read PEM file " + file + ": " + e.getMessage());
        }
        return items;
    }

    static X509Certificate certificate(X509CertificateHolder holder) {
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new ConfigException("federation.tls_cert: bad certificate: " + e.getMessage());
        }
    }

    private static PrivateKey privateKey(Object item, Path file) {
        var converter = new JcaPEMKeyConverter();
        try {
            return switch (item) {
                case PrivateKeyInfo info -> converter.getPrivateKey(info);
                case PEMKeyPair pair -> converter.getPrivateKey(pair.getPrivateKeyInfo());
                case PEMEncryptedKeyPair ignored -> throw encrypted(file);
                case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
                case ASN1ObjectIdentifier ignored -> null; // an "EC PARAMETERS" block before the key
                default -> throw new ConfigException("federation.tls_key: " + file + " holds a "
                        + item.getClass().getSimpleName() + ", not a private key");
            };
        } catch (IOException e) {
            throw new ConfigException("federation.tls_key: unusable private key in " + file + ": " + e.getMessage());
        }
    }

    private static ConfigException encrypted(Path file) {
        return new ConfigException("federation.tls_key: " + file + " is encrypted; give an unencrypted key");
    }

    /** Whether {@code key} signs what {@code certificate}'s public key verifies. */
    private static boolean matches(PrivateKey key, X509Certificate certificate) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // an algorithm this check does not know; the TLS handshake will tell
        }
        try {
            byte[] probe = new byte[32];
            new SecureRandom().nextBytes(probe);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }
}
