package dev.myelin.federation.transport;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.json.CanonicalJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import javax.net.ssl.X509TrustManager;

/**
 * The outbound Server-Server API client. Each request goes to the address server discovery
 * finds ({@link ServerResolver}), only if every address of that host passes the
 * {@link AddressPolicy}, over HTTPS whose certificate must be valid for the name discovery
 * expects (unless {@code verifyTls} is false), and, except {@link #getUnsigned}, carries
 * {@code Authorization: X-Matrix ...} signed over the exact path and query sent.
 *
 * <p>One {@link HttpClient} (HTTP/1.1, pooled connections) serves the destinations whose
 * certificate must name the host connected to. The JDK pools connections by host and port, so
 * a destination found through SRV, whose certificate must name the server rather than the SRV
 * target, gets a pooled client of its own (the {@value #MAX_SRV_CLIENTS} most recent are kept):
 * a connection checked for one server name is never reused for another. A request,
 * body included, must complete within the timeout; responses over {@value #MAX_RESPONSE_BYTES}
 * bytes (100 MiB, room for the state of very large rooms in {@code send_join}) are refused.
 * Thread-safe.
 */
public final class FederationClient implements AutoCloseable {
    /** The largest response body accepted, 100 MiB. */
    public static final long MAX_RESPONSE_BYTES = 100L * 1024 * 1024;
    /** How many per-server-name clients (for SRV destinations) are kept. */
    public static final int MAX_SRV_CLIENTS = 128;

    private final ServerName origin;
    private final SigningKey key;
    private final ServerResolver resolver;
    private final AddressPolicy policy;
    private final Duration timeout;
    private final X509TrustManager trust;
    private final HttpClient http;
    /** Server name → a client whose certificates must hold that name; least recently used first. */
    private final Map<String, HttpClient> byTlsName = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HttpClient> eldest) {
            if (size() > MAX_SRV_CLIENTS) {
                eldest.getValue().shutdown();
                return true;
            }
            return false;
        }
    };

    public FederationClient(ServerName origin, SigningKey key, ServerResolver resolver, AddressPolicy policy,
                            boolean verifyTls, Duration timeout) {
        this(origin, key, resolver, policy, verifyTls ? ServerTrust.systemTrust() : null, timeout);
    }

    /** With {@code trust} the CAs to accept, or null to accept every certificate. */
    FederationClient(ServerName origin, SigningKey key, ServerResolver resolver, AddressPolicy policy,
                     X509TrustManager trust, Duration timeout) {
        this.origin = origin;
        this.key = key;
        this.resolver = resolver;
        this.policy = policy;
        this.timeout = timeout;
        this.trust = trust;
        this.http = Transport.client(trust == null ? ServerTrust.trustAll()
                : ServerTrust.context(new ServerTrust(trust, (host, port) -> null)), timeout);
    }

    /** Lets requests in flight finish, then releases the clients' connections and threads. */
    @Override
    public void close() {
        http.shutdown();
        synchronized (byTlsName) {
            byTlsName.values().forEach(HttpClient::shutdown);
            byTlsName.clear();
        }
    }

    private HttpClient clientFor(ResolvedServer target) {
        String name = target.tlsServerName().toLowerCase(Locale.ROOT);
        if (trust == null || name.equals(bare(target.host()).toLowerCase(Locale.ROOT))) {
            return http;
        }
        synchronized (byTlsName) {
            return byTlsName.computeIfAbsent(name, n ->
                    Transport.client(ServerTrust.context(new ServerTrust(trust, (host, port) -> n)), timeout));
        }
    }

    /** A signed GET; the JSON answer. */
    public JsonNode get(ServerName destination, String pathAndQuery) {
        return send("GET", destination, pathAndQuery, null, true);
    }

    /** A signed PUT of a JSON body ({@code {}} when null); the JSON answer. */
    public JsonNode put(ServerName destination, String pathAndQuery, JsonNode body) {
        return send("PUT", destination, pathAndQuery, orEmpty(body), true);
    }

    /** A signed POST of a JSON body ({@code {}} when null); the JSON answer. */
    public JsonNode post(ServerName destination, String pathAndQuery, JsonNode body) {
        return send("POST", destination, pathAndQuery, orEmpty(body), true);
    }

    /** An unsigned GET, as for {@code /_matrix/key/v2/server}; the JSON answer. */
    public JsonNode getUnsigned(ServerName destination, String pathAndQuery) {
        return send("GET", destination, pathAndQuery, null, false);
    }

    /**
     * Fills a path template's {@code {name}} placeholders, in order, with the parameters
     * percent-encoded as path segments: {@code path("/_matrix/federation/v1/event/{eventId}", "$a:b")}
     * gives {@code /_matrix/federation/v1/event/%24a%3Ab}.
     *
     * @throws IllegalArgumentException when the placeholders and parameters differ in number
     */
    public static String path(String template, String... params) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        int used = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                out.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            if (close < 0) {
                throw new IllegalArgumentException("unclosed placeholder in " + template);
            }
            if (used >= params.length) {
                throw new IllegalArgumentException("more placeholders than parameters in " + template);
            }
            out.append(template, i, open).append(encode(params[used++]));
            i = close + 1;
        }
        if (used != params.length) {
            throw new IllegalArgumentException("more parameters than placeholders in " + template);
        }
        return out.toString();
    }

    /** Percent-encodes everything but RFC 3986 unreserved characters, for a path segment or query value. */
    public static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return out.toString();
    }

    private static JsonNode orEmpty(JsonNode body) {
        return body == null || body.isNull() || body.isMissingNode() ? CanonicalJson.mapper().createObjectNode() : body;
    }

    private JsonNode send(String method, ServerName destination, String pathAndQuery, JsonNode body, boolean signed) {
        if (pathAndQuery == null || !pathAndQuery.startsWith("/")) {
            throw new IllegalArgumentException("path must start with '/': " + pathAndQuery);
        }
        ResolvedServer target;
        try {
            target = resolver.resolve(destination);
        } catch (RuntimeException e) {
            throw new FederationException(0, "M_UNKNOWN", "cannot resolve " + destination + ": " + e.getMessage(), e);
        }
        Transport.checkAddresses(policy, target.host());
        URI uri = URI.create("https://" + target.host() + ":" + target.port() + pathAndQuery);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Accept", "application/json").header("User-Agent", "Myelin");
        if (signed) {
            request.header("Authorization",
                    XMatrixAuth.sign(key, origin, destination, method, pathAndQuery, body).header());
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(CanonicalJson.encode(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response = Transport.send(clientFor(target), request.build(), timeout, MAX_RESPONSE_BYTES);
        return answer(method + " " + destination + pathAndQuery, response);
    }

    private static JsonNode answer(String where, HttpResponse<byte[]> response) {
        int status = response.statusCode();
        byte[] bytes = response.body();
        JsonNode json = null;
        if (bytes.length > 0) {
            try {
                json = CanonicalJson.parse(bytes);
            } catch (IllegalArgumentException e) {
                if (status / 100 == 2) {
                    throw new FederationException(status, "M_NOT_JSON", where + " answered with invalid JSON", e);
                }
            }
        }
        if (status / 100 == 2) {
            return json != null ? json : CanonicalJson.mapper().createObjectNode();
        }
        String errcode = json != null && json.path("errcode").isTextual() ? json.get("errcode").asText() : "M_UNKNOWN";
        String error = json != null && json.path("error").isTextual() ? json.get("error").asText() : "HTTP " + status;
        throw new FederationException(status, errcode, where + ": " + status + " " + errcode + ": " + error);
    }

    private static String bare(String host) {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }
}
