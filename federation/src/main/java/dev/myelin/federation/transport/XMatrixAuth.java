package dev.myelin.federation.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.crypto.Base64Unpadded;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.json.CanonicalJson;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code X-Matrix} authorization of a federation request: "the request method, target and
 * body are signed by wrapping them in a JSON object and signing it using the JSON signing
 * algorithm", and the signature travels as
 * {@code Authorization: X-Matrix origin="..",destination="..",key="..",sig=".."}.
 *
 * @param origin the sending server
 * @param destination the receiving server; null when an older sender left it out
 * @param keyId the signing key's ID, {@code ed25519:...}
 * @param signature the unpadded base64 signature
 */
public record XMatrixAuth(ServerName origin, ServerName destination, String keyId, String signature) {
    private static final String SCHEME = "X-Matrix";

    public XMatrixAuth {
        if (origin == null || keyId == null || keyId.isEmpty() || signature == null || signature.isEmpty()) {
            throw new XMatrixException("X-Matrix needs origin, key and sig");
        }
    }

    /**
     * Parses an {@code Authorization} header value: the scheme {@code X-Matrix}, one or more
     * spaces, then comma-separated {@code name=value} pairs whose names are case-insensitive
     * and whose values are tokens or quoted strings with backslash escapes. Unknown parameters
     * are ignored; unquoted values may hold colons, as older servers send them.
     *
     * @throws XMatrixException when the header is not a well-formed X-Matrix authorization
     */
    public static XMatrixAuth parse(String header) {
        if (header == null) {
            throw new XMatrixException("no Authorization header");
        }
        int space = header.indexOf(' ');
        if (space < 0 || !header.substring(0, space).equalsIgnoreCase(SCHEME)) {
            throw new XMatrixException("Authorization scheme is not X-Matrix");
        }
        Map<String, String> params = parseParams(header, space);
        String origin = params.get("origin");
        String destination = params.get("destination");
        if (origin == null || !ServerName.isValid(origin)) {
            throw new XMatrixException("X-Matrix origin is missing or invalid");
        }
        if (destination != null && !ServerName.isValid(destination)) {
            throw new XMatrixException("X-Matrix destination is invalid");
        }
        if (params.get("key") == null || params.get("sig") == null) {
            throw new XMatrixException("X-Matrix needs key and sig");
        }
        return new XMatrixAuth(ServerName.of(origin), destination == null ? null : ServerName.of(destination),
                params.get("key"), params.get("sig"));
    }

    private static Map<String, String> parseParams(String s, int start) {
        Map<String, String> params = new HashMap<>();
        int i = start;
        int n = s.length();
        while (true) {
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            if (i >= n) {
                break;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                throw new XMatrixException("X-Matrix parameter without '='");
            }
            String name = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            if (name.isEmpty() || !name.chars().allMatch(c -> c > 32 && c < 127 && c != '"' && c != ',')) {
                throw new XMatrixException("bad X-Matrix parameter name");
            }
            i = eq + 1;
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            StringBuilder value = new StringBuilder();
            if (i < n && s.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = s.charAt(i++);
                    if (c == '\\' && i < n) {
                        value.append(s.charAt(i++));
                    } else if (c == '"') {
                        closed = true;
                        break;
                    } else {
                        value.append(c);
                    }
                }
                if (!closed) {
                    throw new XMatrixException("unterminated quoted X-Matrix value");
                }
            } else {
                while (i < n && s.charAt(i) != ',' && s.charAt(i) != ' ' && s.charAt(i) != '\t') {
                    char c = s.charAt(i++);
                    if (c == '"' || c == '\\') {
                        throw new XMatrixException("bad character in unquoted X-Matrix value");
                    }
                    value.append(c);
                }
            }
            if (params.put(name, value.toString()) != null) {
                throw new XMatrixException("repeated X-Matrix parameter " + name);
            }
            while (i < n && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) i++;
            if (i < n) {
                if (s.charAt(i) != ',') {
                    throw new XMatrixException("X-Matrix parameters must be separated by commas");
                }
                i++;
            }
        }
        return params;
    }

    /** The header value, {@code X-Matrix origin="..",destination="..",key="..",sig=".."}. */
    public String header() {
        StringBuilder b = new StringBuilder(SCHEME).append(" origin=").append(quote(origin.value()));
        if (destination != null) {
            b.append(",destination=").append(quote(destination.value()));
        }
        return b.append(",key=").append(quote(keyId)).append(",sig=").append(quote(signature)).toString();
    }

    private static String quote(String v) {
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /**
     * Signs a request: the canonical JSON of {@code {method, uri, origin, destination, content}}
     * ({@code content} only when the request has a body), with {@code requestUri} the path and
     * query exactly as sent, starting with {@code /}.
     */
    public static XMatrixAuth sign(SigningKey key, ServerName origin, ServerName destination,
                                   String method, String requestUri, JsonNode contentOrNull) {
        byte[] message = signedBytes(origin, destination, method, requestUri, contentOrNull);
        return new XMatrixAuth(origin, destination, key.keyId(), Base64Unpadded.encode(key.sign(message)));
    }

    /**
     * Whether the signature verifies with {@code publicKey} over this request. False when the
     * header carries no destination (use {@link #verify(byte[], ServerName, String, String, JsonNode)}
     * for older senders) or when the signature is malformed.
     */
    public boolean verify(byte[] publicKey, String method, String requestUri, JsonNode contentOrNull) {
        return destination != null && check(publicKey, destination, method, requestUri, contentOrNull);
    }

    /**
     * Like {@link #verify(byte[], String, String, JsonNode)}, but when an older sender left the
     * destination out of the header, the receiving server's own name stands for it (older
     * senders signed it all the same). The caller still checks that {@link #destination()},
     * when present, is its own name.
     */
    public boolean verify(byte[] publicKey, ServerName localServer, String method, String requestUri,
                          JsonNode contentOrNull) {
        ServerName dest = destination != null ? destination : localServer;
        return dest != null && check(publicKey, dest, method, requestUri, contentOrNull);
    }

    private boolean check(byte[] publicKey, ServerName dest, String method, String uri, JsonNode content) {
        byte[] sig;
        try {
            sig = Base64Unpadded.decode(signature);
        } catch (IllegalArgumentException e) {
            return false;
        }
        return SigningKey.verify(publicKey, signedBytes(origin, dest, method, uri, content), sig);
    }

    static byte[] signedBytes(ServerName origin, ServerName destination, String method, String uri,
                              JsonNode content) {
        ObjectNode json = CanonicalJson.mapper().createObjectNode();
        json.put("method", method);
        json.put("uri", uri);
        json.put("origin", origin.value());
        json.put("destination", destination.value());
        if (content != null && !content.isMissingNode() && !content.isNull()) {
            json.set("content", content);
        }
        return CanonicalJson.encode(json);
    }
}
