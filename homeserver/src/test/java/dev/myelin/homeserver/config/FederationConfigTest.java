package dev.myelin.homeserver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.config.HomeserverConfig.Federation;
import dev.myelin.homeserver.config.HomeserverConfig.Listen;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code federation} section of {@link ConfigLoader}: defaults, YAML, environment overrides, errors. */
class FederationConfigTest {
    @TempDir
    Path dir;

    @Test
    void defaults() {
        Federation f = ConfigLoader.load(Optional.empty(), Map.of()).federation();
        assertTrue(f.enabled());
        assertEquals(new Listen("0.0.0.0", 8448), f.listen());
        assertNull(f.tlsCert());
        assertNull(f.tlsKey());
        assertTrue(f.usesSelfSignedCertificate());
        assertTrue(f.verifyTls());
        assertEquals("", f.allowedPrivateTargets());
        assertFalse(f.addressPolicy().allowed(java.net.InetAddress.getLoopbackAddress()));
        assertEquals(List.of(), f.trustedKeyServers());
    }

    @Test
    void readsEveryFederationSettingFromTheYamlFile() throws IOException {
        Federation f = fromYaml("""
                federation:
                  enabled: false
                  listen: 127.0.0.1:9448
                  tls_cert: %s
                  tls_key: %s
                  verify_tls: false
                  allowed_private_targets: 10.0.0.0/8, fd00::/8
                  trusted_key_servers:
                    - matrix.org
                    - keys.example.org:8448
                """.formatted(dir.resolve("a.crt"), dir.resolve("a.key")));
        assertFalse(f.enabled());
        assertEquals(new Listen("127.0.0.1", 9448), f.listen());
        assertEquals(dir.resolve("a.crt"), f.tlsCert());
        assertEquals(dir.resolve("a.key"), f.tlsKey());
        assertFalse(f.usesSelfSignedCertificate());
        assertFalse(f.verifyTls());
        assertEquals("10.0.0.0/8, fd00::/8", f.allowedPrivateTargets());
        assertTrue(f.addressPolicy().allowed(java.net.InetAddress.getByName("10.1.2.3")));
        assertTrue(f.addressPolicy().allowed(java.net.InetAddress.getByName("fd00::1")));
        assertFalse(f.addressPolicy().allowed(java.net.InetAddress.getByName("192.168.1.1")));
        assertEquals(List.of(new ServerName("matrix.org"), new ServerName("keys.example.org:8448")),
                f.trustedKeyServers());
    }

    @Test
    void oneTrustedKeyServerAsAScalar() throws IOException {
        Federation f = fromYaml("federation:\n  trusted_key_servers: matrix.org\n");
        assertEquals(List.of(new ServerName("matrix.org")), f.trustedKeyServers());
    }

    @Test
    void environmentWinsOverTheFile() throws IOException {
        Path file = yaml("""
                federation:
                  enabled: true
                  listen: 0.0.0.0:8448
                  tls_cert: /file/tls.crt
                  tls_key: /file/tls.key
                  verify_tls: true
                  allowed_private_targets: 10.0.0.0/8
                  trusted_key_servers: [matrix.org]
                """);
        Federation f = ConfigLoader.load(Optional.of(file), Map.of(
                "MYELIN_FEDERATION_ENABLED", "FALSE",
                "MYELIN_FEDERATION_LISTEN", "[::]:0",
                "MYELIN_TLS_CERT", dir.resolve("env.crt").toString(),
                "MYELIN_TLS_KEY", dir.resolve("env.key").toString(),
                "MYELIN_FEDERATION_VERIFY_TLS", " false ",
                "MYELIN_FEDERATION_ALLOWED_PRIVATE_TARGETS", "192.168.1.0/24,127.0.0.1",
                "MYELIN_FEDERATION_TRUSTED_KEY_SERVERS", "a.example, b.example")).federation();
        assertFalse(f.enabled());
        assertEquals(new Listen("::", 0), f.listen());
        assertEquals(dir.resolve("env.crt"), f.tlsCert());
        assertEquals(dir.resolve("env.key"), f.tlsKey());
        assertFalse(f.verifyTls());
        assertEquals("192.168.1.0/24,127.0.0.1", f.allowedPrivateTargets());
        assertEquals(List.of(new ServerName("a.example"), new ServerName("b.example")), f.trustedKeyServers());
    }

    @Test
    void badBooleans() {
        assertMessage(Map.of("MYELIN_FEDERATION_VERIFY_TLS", "yes"), "federation.verify_tls must be true or false",
                "'yes'");
        assertMessage(Map.of("MYELIN_FEDERATION_ENABLED", "1"), "federation.enabled must be true or false", "'1'");
    }

    @Test
    void badBooleanInTheFile() throws IOException {
        Path file = yaml("federation:\n  verify_tls: maybe\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.of(file), Map.of()));
        assertTrue(e.getMessage().contains("federation.verify_tls"), e.getMessage());
    }

    @Test
    void badListenAddress() {
        assertMessage(Map.of("MYELIN_FEDERATION_LISTEN", "8448"), "listen address must be host:port");
        assertMessage(Map.of("MYELIN_FEDERATION_LISTEN", "0.0.0.0:99999"), "listen port");
    }

    @Test
    void certificateWithoutKey() {
        assertMessage(Map.of("MYELIN_TLS_CERT", "/x/tls.crt"), "tls_cert and federation.tls_key must be set together");
        assertMessage(Map.of("MYELIN_TLS_KEY", "/x/tls.key"), "must be set together");
    }

    @Test
    void badCidrs() {
        for (String bad : List.of("10.0.0.0/33", "10.0.0/8", "256.0.0.0/8", "example.org/8", "fd00::/129",
                "10.0.0.0/", "10.0.0.0/x", "fd00::zz/8")) {
            assertMessage(Map.of("MYELIN_FEDERATION_ALLOWED_PRIVATE_TARGETS", "127.0.0.1/8," + bad),
                    "federation.allowed_private_targets", bad);
        }
    }

    @Test
    void badTrustedKeyServer() {
        assertMessage(Map.of("MYELIN_FEDERATION_TRUSTED_KEY_SERVERS", "matrix.org,not a server"),
                "federation.trusted_key_servers", "not a server");
    }

    private Federation fromYaml(String text) throws IOException {
        return ConfigLoader.load(Optional.of(yaml(text)), Map.of()).federation();
    }

    private static void assertMessage(Map<String, String> env, String... fragments) {
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(Optional.empty(), env));
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' should mention " + fragment);
        }
    }

    private Path yaml(String text) throws IOException {
        Path file = Files.createTempFile(dir, "myelin", ".yaml");
        Files.writeString(file, text);
        return file;
    }
}
