package dev.myelin.homeserver.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerRequest;
import io.helidon.webserver.http.ServerResponse;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Registers Matrix endpoints on a Helidon routing. Every endpoint's result is written as JSON;
 * a known path with the wrong method answers 405 M_UNRECOGNIZED and an unknown path 404
 * M_UNRECOGNIZED, as the spec asks.
 */
public final class ApiRoutes {
    private final HttpRouting.Builder routing;
    private final Authenticator authenticator;
    private final long maxBodyBytes;
    private static final String V3_PREFIX = "/_matrix/client/v3/";
    private static final String R0_PREFIX = "/_matrix/client/r0/";

    private record Route(Method method, String path, Endpoint endpoint) {
    }

    private final List<Route> routes = new ArrayList<>();

    public ApiRoutes(HttpRouting.Builder routing, Authenticator authenticator, long maxBodyBytes) {
        this.routing = routing;
        this.authenticator = authenticator;
        this.maxBodyBytes = maxBodyBytes;
    }

    public ApiRoutes get(String path, Endpoint endpoint) {
        return route(Method.GET, path, endpoint);
    }

    public ApiRoutes post(String path, Endpoint endpoint) {
        return route(Method.POST, path, endpoint);
    }

    public ApiRoutes put(String path, Endpoint endpoint) {
        return route(Method.PUT, path, endpoint);
    }

    public ApiRoutes delete(String path, Endpoint endpoint) {
        return route(Method.DELETE, path, endpoint);
    }

    /** Adds an endpoint; {@link #finish()} registers them all. */
    public ApiRoutes route(Method method, String path, Endpoint endpoint) {
        routes.add(new Route(method, path, endpoint));
        return this;
    }

    /**
     * Registers the endpoints in the order they were added (Helidon tries routes in order, so
     * the busiest areas come first), then every {@code /_matrix/client/v3/} path again under
     * {@code /_matrix/client/r0/} for older clients (matrix-nio among them), then the 405 answers
     * for known paths with another method and the 404 answer for everything else.
     */
    public void finish() {
        Set<String> paths = new LinkedHashSet<>();
        for (Route route : routes) {
            register(route.method(), route.path(), route.endpoint());
            paths.add(route.path());
        }
        for (Route route : routes) {
            if (route.path().startsWith(V3_PREFIX)) {
                String r0 = R0_PREFIX + route.path().substring(V3_PREFIX.length());
                register(route.method(), r0, route.endpoint());
                paths.add(r0);
            }
        }
        for (String path : paths) {
            routing.any(path, ApiRoutes::methodNotAllowed);
        }
        routing.any((req, res) -> {
            throw new MatrixException(ErrCode.M_UNRECOGNIZED, "Unrecognized request");
        });
    }

    private void register(Method method, String path, Endpoint endpoint) {
        routing.route(method, path, (req, res) -> {
            Object result = endpoint.handle(new MatrixRequest(req, authenticator, maxBodyBytes));
            if (result instanceof Reply reply) {
                send(res, reply.status(), reply.body());
            } else {
                send(res, 200, result);
            }
        });
    }

    private static void methodNotAllowed(ServerRequest req, ServerResponse res) {
        throw new MatrixException(ErrCode.M_UNRECOGNIZED, 405, "Method not allowed", Map.of());
    }

    static void send(ServerResponse res, int status, Object body) {
        res.status(Status.create(status));
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.header(HeaderNames.CACHE_CONTROL, "no-cache, no-store, must-revalidate");
        res.send(body instanceof byte[] bytes ? bytes : Json.write(body));
    }
}
