package dev.myelin.homeserver.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.HomeserverApp;
import dev.myelin.homeserver.config.HomeserverConfig;
import dev.myelin.homeserver.config.HomeserverConfig.Federation;
import dev.myelin.homeserver.config.HomeserverConfig.Listen;
import dev.myelin.homeserver.config.HomeserverConfig.Registration;
import java.io.IOException;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.util.io.pem.PemObjectGenerator;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real server's TLS listener: same routes as the plain one, its certificate, and no listener when disabled. */
class FederationListenerTest {
    private static final HttpClient CLIENT = trustAllClient();

    @TempDir
    Path dir;

    @Test
    void servesTheClientApiOverHttpsWithASelfSignedCertificateKeptAcrossRestarts() throws Exception {
        String first;
        try (HomeserverApp app = HomeserverApp.start(config(Federation.selfSigned(new Listen("127.0.0.1", 0))))) {
            assertTrue(app.federationPort() > 0);
            assertNotEquals(app.port(), app.federationPort());
            HttpResponse<String> response = get("https://127.0.0.1:" + app.federationPort() + "/_matrix/client/versions");
            assertEquals(200, response.statusCode());
            assertTrue(response.body().contains("\"versions\""), response.body());
            X509Certificate served = peerCertificate(response);
            assertEquals("CN=localhost", served.getSubjectX500Principal().getName());
            first = TlsMaterial.fingerprint(served);
            assertEquals(first, TlsMaterial.load(dir.resolve("tls.crt"), dir.resolve("tls.key")).fingerprintSha256());
            assertEquals(200, get("http://127.0.0.1:" + app.port() + "/_matrix/client/versions").statusCode());
            assertEquals(404, get("https://127.0.0.1:" + app.federationPort() + "/_matrix/nothing").statusCode());
        }
        try (HomeserverApp app = HomeserverApp.start(config(Federation.selfSigned(new Listen("127.0.0.1", 0))))) {
            HttpResponse<String> response = get("https://127.0.0.1:" + app.federationPort() + "/_matrix/client/versions");
            assertEquals(first, TlsMaterial.fingerprint(peerCertificate(response)));
        }
    }

    @Test
    void servesAConfiguredCertificate() throws Exception {
        TlsMaterial material = SelfSignedCertificate.generate("configured.example", Instant.now());
        Path cert = dir.resolve("configured.crt");
        Path key = dir.resolve("configured.key");
        Files.writeString(cert, pem(new JcaMiscPEMGenerator(material.certificate())));
        Files.writeString(key, pem(new JcaPKCS8Generator(material.privateKey(), null)));
        Federation federation = new Federation(true, new Listen("127.0.0.1", 0), cert, key, true, "", List.of());
        try (HomeserverApp app = HomeserverApp.start(config(federation))) {
            HttpResponse<String> response = get("https://127.0.0.1:" + app.federationPort() + "/_matrix/client/versions");
            assertEquals(200, response.statusCode());
            assertEquals(material.fingerprintSha256(), TlsMaterial.fingerprint(peerCertificate(response)));
        }
        assertTrue(Files.notExists(dir.resolve("tls.crt")), "no self-signed certificate when one is configured");
    }

    @Test
    void noListenerWhenDisabled() throws Exception {
        try (HomeserverApp app = HomeserverApp.start(config(Federation.disabled()))) {
            assertEquals(-1, app.federationPort());
            assertEquals(200, get("http://127.0.0.1:" + app.port() + "/_matrix/client/versions").statusCode());
        }
        assertTrue(Files.notExists(dir.resolve("tls.crt")));
    }

    @Test
    void aBadConfiguredKeyStopsTheStart() throws IOException {
        TlsMaterial material = SelfSignedCertificate.generate("configured.example", Instant.now());
        Path cert = dir.resolve("configured.crt");
        Files.writeString(cert, pem(new JcaMiscPEMGenerator(material.certificate())));
        Federation federation = new Federation(true, new Listen("127.0.0.1", 0), cert, dir.resolve("missing.key"),
                true, "", List.of());
        RuntimeException e = assertThrows(RuntimeException.class, () -> HomeserverApp.start(config(federation)));
        assertTrue(e.getMessage().contains("federation.tls_key"), e.getMessage());
    }

    private HomeserverConfig config(Federation federation) {
        return new HomeserverConfig(new ServerName("localhost"), new Listen("127.0.0.1", 0), dir,
                "jdbc:sqlite:" + dir.resolve("myelin.db"), 4, Registration.OPEN, 1 << 20, federation);
    }

    private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return CLIENT.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static X509Certificate peerCertificate(HttpResponse<?> response) throws Exception {
        return (X509Certificate) response.sslSession().orElseThrow().getPeerCertificates()[0];
    }

    private static String pem(PemObjectGenerator object) throws IOException {
        StringWriter text = new StringWriter();
        try (PemWriter writer = new PemWriter(text)) {
            writer.writeObject(object);
        }
        return text.toString();
    }

    /** A client that accepts any server certificate (the test then checks which one it got). */
    private static HttpClient trustAllClient() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {new TrustAll()}, new SecureRandom());
            return HttpClient.newBuilder().sslContext(context).connectTimeout(Duration.ofSeconds(10)).build();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class TrustAll extends X509ExtendedTrustManager {
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) { }
        @Override public void checkClientTrusted(X509Certificate[] chain, String authType) { }
        @Override public void checkServerTrusted(X509Certificate[] chain, String authType) { }
        @Override public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
