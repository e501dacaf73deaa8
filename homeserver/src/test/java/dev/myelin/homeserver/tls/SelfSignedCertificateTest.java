package dev.myelin.homeserver.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.ServerName;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link SelfSignedCertificate}: what the certificate says, and that the data directory keeps one pair. */
class SelfSignedCertificateTest {
    @TempDir
    Path dir;

    @Test
    void certificateNamesTheHostLocalhostAndLoopback() throws CertificateParsingException {
        Instant now = Instant.parse("2025-01-01T00:00:00Z");
        X509Certificate cert = SelfSignedCertificate.generate("example.org", now).certificate();
        assertEquals("CN=example.org", cert.getSubjectX500Principal().getName());
        assertEquals(cert.getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(Set.of("2:example.org", "2:localhost", "7:127.0.0.1"), alternativeNames(cert));
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        Duration validity = Duration.between(cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant());
        assertTrue(validity.toDays() >= 3650, validity.toString());
        assertTrue(cert.getNotBefore().toInstant().isBefore(now));
        assertEquals(-1, cert.getBasicConstraints());
    }

    @Test
    void ipLiteralServerNamesBecomeIpAddressNames() throws CertificateParsingException {
        assertEquals("10.1.2.3", SelfSignedCertificate.host(new ServerName("10.1.2.3:8448")));
        assertEquals("::1", SelfSignedCertificate.host(new ServerName("[::1]:8448")));
        assertEquals("example.org", SelfSignedCertificate.host(new ServerName("example.org:443")));
        X509Certificate v4 = SelfSignedCertificate.generate("10.1.2.3", Instant.now()).certificate();
        assertTrue(alternativeNames(v4).contains("7:10.1.2.3"), alternativeNames(v4).toString());
        X509Certificate v6 = SelfSignedCertificate.generate("::1", Instant.now()).certificate();
        assertTrue(alternativeNames(v6).contains("7:0:0:0:0:0:0:0:1"), alternativeNames(v6).toString());
    }

    @Test
    void generatedOnceIntoTheDataDirThenReused() throws IOException {
        TlsMaterial first = SelfSignedCertificate.loadOrGenerate(dir, new ServerName("example.org"));
        assertEquals("rw-------",
                PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls.key"))));
        assertTrue(Files.readString(dir.resolve("tls.key")).startsWith("-----BEGIN PRIVATE KEY-----"));
        assertTrue(Files.readString(dir.resolve("tls.crt")).startsWith("-----BEGIN CERTIFICATE-----"));
        TlsMaterial second = SelfSignedCertificate.loadOrGenerate(dir, new ServerName("example.org"));
        assertEquals(first.fingerprintSha256(), second.fingerprintSha256());
        assertEquals(first.privateKey(), second.privateKey());
    }

    @Test
    void aMissingKeyFileMeansANewPair() throws IOException {
        TlsMaterial first = SelfSignedCertificate.loadOrGenerate(dir, new ServerName("example.org"));
        Files.delete(dir.resolve("tls.key"));
        TlsMaterial second = SelfSignedCertificate.loadOrGenerate(dir, new ServerName("example.org"));
        assertNotEquals(first.fingerprintSha256(), second.fingerprintSha256());
        assertEquals(second.fingerprintSha256(),
                TlsMaterial.load(dir.resolve("tls.crt"), dir.resolve("tls.key")).fingerprintSha256());
    }

    /** Each subject alternative name as {@code <type>:<value>} (2 DNS, 7 IP). */
    private static Set<String> alternativeNames(X509Certificate cert) throws CertificateParsingException {
        return cert.getSubjectAlternativeNames().stream()
                .map((List<?> name) -> name.get(0) + ":" + name.get(1))
                .collect(Collectors.toSet());
    }
}
