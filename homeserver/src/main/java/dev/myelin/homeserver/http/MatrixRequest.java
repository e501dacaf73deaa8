package dev.myelin.homeserver.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.http.HeaderNames;
import io.helidon.webserver.http.ServerRequest;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * A client request as endpoints see it: path and query parameters, the JSON body (read once,
 * within the size limit) and the authenticated {@link Requester}.
 */
public final class MatrixRequest {
    private final ServerRequest request;
    private final Authenticator authenticator;
    private final long maxBodyBytes;
    private Requester requester;
    private ObjectNode body;

    MatrixRequest(ServerRequest request, Authenticator authenticator, long maxBodyBytes) {
        this.request = request;
        this.authenticator = authenticator;
        this.maxBodyBytes = maxBodyBytes;
    }

    /** The authenticated requester; fails with M_MISSING_TOKEN or M_UNKNOWN_TOKEN. */
    public Requester requester() {
        if (requester == null) {
            String token = accessToken().orElseThrow(() -> new MatrixException(
                    ErrCode.M_MISSING_TOKEN, "Missing access token."));
            requester = authenticator.authenticate(token);
        }
        return requester;
    }

    /** The access token from the Authorization header or the deprecated query parameter. */
    public Optional<String> accessToken() {
        Optional<String> header = request.headers().first(HeaderNames.AUTHORIZATION);
        if (header.isPresent()) {
            String value = header.get().trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(value.substring(7).trim());
            }
            throw new MatrixException(ErrCode.M_MISSING_TOKEN, "Authorization header is not a Bearer token.");
        }
        return request.query().first("access_token").asOptional();
    }

    /** A path parameter, or null when the matched route has none of that name. */
    public String pathParam(String name) {
        var params = request.path().pathParameters();
        String value = params.contains(name) ? params.get(name) : null;
        if (value != null && value.indexOf('\u0000') >= 0) {
            throw MatrixException.invalidParam("Path parameters may not contain the NUL character.");
        }
        return value;
    }

    public Optional<String> query(String name) {
        Optional<String> value = request.query().first(name).asOptional();
        if (value.isPresent() && value.get().indexOf('\u0000') >= 0) {
            throw MatrixException.invalidParam("Query parameters may not contain the NUL character.");
        }
        return value;
    }

    /** Every value of a repeated query parameter, in order. */
    public java.util.List<String> queryAll(String name) {
        if (!request.query().contains(name)) {
            return java.util.List.of();
        }
        java.util.List<String> values = request.query().all(name);
        if (values.stream().anyMatch(v -> v.indexOf('\u0000') >= 0)) {
            throw MatrixException.invalidParam("Query parameters may not contain the NUL character.");
        }
        return values;
    }

    public boolean hasQuery(String name) {
        return request.query().contains(name);
    }

    /** An integer query parameter, or the default; a non-integer is M_INVALID_PARAM. */
    public long queryLong(String name, long defaultValue) {
        Optional<String> value = query(name);
        if (value.isEmpty() || value.get().isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(value.get());
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Query parameter '" + name + "' must be an integer.");
        }
    }

    public boolean queryBoolean(String name, boolean defaultValue) {
        return query(name).map(v -> v.equals("true") || v.equals("1")).orElse(defaultValue);
    }

    /** The request body as a JSON object. An empty body is an empty object. */
    public ObjectNode body() {
        if (body == null) {
            byte[] bytes = readBody();
            body = bytes.length == 0 ? Json.object() : Json.parseObject(bytes);
        }
        return body;
    }

    /** The request body bound to a record. */
    public <T> T body(Class<T> type) {
        return Json.bind(body(), type);
    }

    /** The request method, as signed in an X-Matrix request. */
    public String method() {
        return request.prologue().method().text();
    }

    /** The request target as sent (path and query, still percent-encoded), as signed in an X-Matrix request. */
    public String rawUri() {
        String query = request.prologue().query().rawValue();
        String path = request.prologue().uriPath().rawPath();
        return query == null || query.isEmpty() ? path : path + "?" + query;
    }

    /** Whether the request carries a body. */
    public boolean hasBody() {
        return request.content().hasEntity();
    }

    public String remoteAddress() {
        return request.remotePeer().host();
    }

    public Optional<String> header(String name) {
        return request.headers().first(HeaderNames.create(name));
    }

    private byte[] readBody() {
        if (!request.content().hasEntity()) {
            return new byte[0];
        }
        long declared = request.headers().contentLength().orElse(-1L);
        if (declared > maxBodyBytes) {
            throw new MatrixException(ErrCode.M_TOO_LARGE, "Request body too large.");
        }
        try (InputStream in = request.content().inputStream()) {
            byte[] bytes = declared >= 0
                    ? in.readNBytes((int) declared + 1)
                    : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBodyBytes + 1));
            if (bytes.length > maxBodyBytes) {
                throw new MatrixException(ErrCode.M_TOO_LARGE, "Request body too large.");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
