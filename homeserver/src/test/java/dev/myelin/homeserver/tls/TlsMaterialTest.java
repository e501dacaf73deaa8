package dev.myelin.homeserver.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.homeserver.config.ConfigException;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link TlsMaterial#load}: the PEM key formats it reads, chains, and the errors it reports. */
class TlsMaterialTest {
    @TempDir
    Path dir;

    @Test
    void readsAPkcs8EcKeyAndAChain() throws Exception {
        KeyPair ca = ecKeyPair();
        KeyPair leaf = ecKeyPair();
        X509Certificate caCert = certificate("CN=ca.example", ca, "CN=ca.example", ca.getPublic(), true);
        X509Certificate leafCert = certificate("CN=ca.example", ca, "CN=a.example", leaf.getPublic(), false);
        Path cert = write("chain.crt", pem(leafCert) + pem(caCert));
        Path key = write("a.key", pem(new JcaPKCS8Generator(leaf.getPrivate(), null)));
        TlsMaterial loaded = TlsMaterial.load(cert, key);
        assertEquals(List.of(leafCert, caCert), loaded.chain());
        assertEquals(TlsMaterial.fingerprint(leafCert), loaded.fingerprintSha256());
        assertEquals(leaf.getPrivate(), loaded.privateKey());
        assertNotNull(loaded.tls());
    }

    @Test
    void readsASec1EcKey() throws Exception {
        TlsMaterial leaf = SelfSignedCertificate.generate("a.example", Instant.now());
        String sec1 = sec1(leaf.privateKey());
        assertTrue(sec1.startsWith("-----BEGIN EC PRIVATE KEY-----"), sec1);
        TlsMaterial loaded = TlsMaterial.load(write("a.crt", pem(leaf.certificate())), write("a.key", sec1));
        assertEquals(((ECPrivateKey) leaf.privateKey()).getS(), ((ECPrivateKey) loaded.privateKey()).getS());
    }

    @Test
    void readsAPkcs1RsaKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X509Certificate cert = certificate("CN=rsa.example", pair, "CN=rsa.example", pair.getPublic(), false);
        String pkcs1 = pem(pair.getPrivate());
        assertTrue(pkcs1.startsWith("-----BEGIN RSA PRIVATE KEY-----"), pkcs1);
        TlsMaterial loaded = TlsMaterial.load(write("r.crt", pem(cert)), write("r.key", pkcs1));
        assertEquals(pair.getPrivate(), loaded.privateKey());
    }

    @Test
    void aKeyOfAnotherCertificateIsRefused() throws Exception {
        TlsMaterial a = SelfSignedCertificate.generate("a.example", Instant.now());
        TlsMaterial b = SelfSignedCertificate.generate("b.example", Instant.now());
        ConfigException e = assertThrows(ConfigException.class, () -> TlsMaterial.load(
                write("a.crt", pem(a.certificate())), write("b.key", pem(new JcaPKCS8Generator(b.privateKey(), null)))));
        assertTrue(e.getMessage().contains("is not the key of the certificate"), e.getMessage());
    }

    @Test
    void anEncryptedKeyIsRefused() throws Exception {
        TlsMaterial a = SelfSignedCertificate.generate("a.example", Instant.now());
        var encryptor = new JceOpenSSLPKCS8EncryptorBuilder(JcaPKCS8Generator.AES_256_CBC)
                .setProvider(new BouncyCastleProvider()).setPassword("secret".toCharArray()).build();
        Path key = write("a.key", pem(new JcaPKCS8Generator(a.privateKey(), encryptor)));
        ConfigException e = assertThrows(ConfigException.class,
                () -> TlsMaterial.load(write("a.crt", pem(a.certificate())), key));
        assertTrue(e.getMessage().contains("encrypted"), e.getMessage());
    }

    @Test
    void missingAndEmptyFilesAreReported() throws Exception {
        TlsMaterial a = SelfSignedCertificate.generate("a.example", Instant.now());
        Path cert = write("a.crt", pem(a.certificate()));
        Path key = write("a.key", sec1(a.privateKey()));
        assertMessage(() -> TlsMaterial.load(dir.resolve("none.crt"), key), "federation.tls_cert", "none.crt");
        assertMessage(() -> TlsMaterial.load(cert, dir.resolve("none.key")), "federation.tls_key", "none.key");
        Path emptyCert = write("empty.crt", "nothing here\n");
        Path emptyKey = write("empty.key", "");
        assertMessage(() -> TlsMaterial.load(emptyCert, key), "no PEM certificate");
        assertMessage(() -> TlsMaterial.load(cert, cert), "federation.tls_key", "not a private key");
        assertMessage(() -> TlsMaterial.load(cert, emptyKey), "no PEM private key");
    }

    private static void assertMessage(Runnable load, String... fragments) {
        ConfigException e = assertThrows(ConfigException.class, load::run);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention " + fragment);
        }
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        return generator.generateKeyPair();
    }

    /** A certificate for {@code subject}'s key, signed by {@code issuerKeys}. */
    private static X509Certificate certificate(String issuer, KeyPair issuerKeys, String subject, PublicKey key,
                                               boolean ca) throws Exception {
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(new X500Name(issuer), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minusSeconds(60)), Date.from(now.plusSeconds(3600)), new X500Name(subject), key);
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
        String algorithm = issuerKeys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(
                builder.build(new JcaContentSignerBuilder(algorithm).build(issuerKeys.getPrivate())));
    }

    private Path write(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** An EC key as OpenSSL writes it: SEC1 with the named curve ({@code EC PRIVATE KEY}). */
    private static String sec1(PrivateKey key) throws IOException {
        var der = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) key).getS(),
                SECObjectIdentifiers.secp256r1);
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(new PemObject("EC PRIVATE KEY", der.getEncoded()));
        }
        return text.toString();
    }

    /** Certificates as CERTIFICATE, RSA keys as PKCS#1, generators as they generate. */
    private static String pem(Object object) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            if (object instanceof PemObjectGenerator generator) {
                writer.writeObject(generator);
            } else {
                writer.writeObject(object);
            }
        }
        return text.toString();
    }
}
