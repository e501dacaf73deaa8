package dev.myelin.federation.transport;

import java.net.InetAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for federation: either everything (development, {@code verifyTls=false}), or a
 * valid chain to a trusted CA whose leaf certificate is valid for the name server discovery
 * expects, which after an SRV lookup is the server name rather than the host connected to.
 */
final class ServerTrust extends X509ExtendedTrustManager {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private final X509TrustManager chain;
    private final BiFunction<String, Integer, String> expectedName;

    /** @param expectedName the name the certificate must hold for a connected host and port; null: that host */
    ServerTrust(X509TrustManager chain, BiFunction<String, Integer, String> expectedName) {
        this.chain = chain;
        this.expectedName = expectedName;
    }

    static X509TrustManager systemTrust() {
        try {
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            for (TrustManager tm : tmf.getTrustManagers()) {
                if (tm instanceof X509TrustManager x) {
                    return x;
                }
            }
            throw new IllegalStateException("no X509TrustManager in the JDK");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static SSLContext context(TrustManager trust) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {trust}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** An SSLContext that trusts every certificate and skips hostname checks. */
    static SSLContext trustAll() {
        return context(new X509ExtendedTrustManager() {
            @Override public void checkClientTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, Socket s) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a, SSLEngine e) { }
            @Override public void checkClientTrusted(X509Certificate[] c, String a) { }
            @Override public void checkServerTrusted(X509Certificate[] c, String a) { }
            @Override public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        });
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, SSLEngine engine)
            throws CertificateException {
        check(certs, authType, engine == null ? null : engine.getPeerHost(), engine == null ? -1 : engine.getPeerPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType, Socket socket)
            throws CertificateException {
        String host = socket == null || socket.getInetAddress() == null ? null : socket.getInetAddress().getHostName();
        check(certs, authType, host, socket == null ? -1 : socket.getPort());
    }

    @Override
    public void checkServerTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        check(certs, authType, null, -1);
    }

    private void check(X509Certificate[] certs, String authType, String host, int port) throws CertificateException {
        chain.checkServerTrusted(certs, authType);
        if (host == null) {
            throw new CertificateException("no peer host to check the certificate against");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String expected = expectedName.apply(bare, port);
        if (!matches(certs[0], expected == null ? bare : expected)) {
            throw new CertificateException("certificate is not valid for " + (expected == null ? bare : expected));
        }
    }

    /** Whether the certificate's subject alternative names cover {@code name} (a DNS name or an IP). */
    static boolean matches(X509Certificate cert, String name) {
        Collection<List<?>> sans;
        try {
            sans = cert.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return false;
        }
        if (sans == null) {
            return false;
        }
        boolean ip = name.contains(":") || IPV4.matcher(name).matches();
        String wanted = name.toLowerCase(Locale.ROOT);
        if (wanted.endsWith(".")) {
            wanted = wanted.substring(0, wanted.length() - 1);
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            String value = String.valueOf(san.get(1));
            if (ip && type == 7 && sameAddress(value, name)) {
                return true;
            }
            if (!ip && type == 2 && dnsMatches(value.toLowerCase(Locale.ROOT), wanted)) {
                return true;
            }
        }
        return false;
    }

    private static boolean dnsMatches(String pattern, String name) {
        if (pattern.endsWith(".")) {
            pattern = pattern.substring(0, pattern.length() - 1);
        }
        if (pattern.startsWith("*.")) {
            String rest = pattern.substring(1); // ".example.com"
            int dot = name.indexOf('.');
            return rest.indexOf('.', 1) > 0 && dot > 0 && name.substring(dot).equals(rest);
        }
        return pattern.equals(name);
    }

    private static boolean sameAddress(String a, String b) {
        try {
            // both are literals here (a certificate's IP SAN, a name that looks like an IP): no DNS
            return InetAddress.getByName(a).equals(InetAddress.getByName(b));
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] certs, String authType) throws CertificateException {
        throw new CertificateException("client certificates are not used");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return chain.getAcceptedIssuers();
    }
}
