package dev.myelin.homeserver.http;

import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.http.Status;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;

/** The CORS headers the spec asks every Client-Server response to carry; answers preflights. */
public final class Cors implements Filter {
    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_ORIGIN, "*");
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_METHODS, "GET, POST, PUT, DELETE, OPTIONS");
        res.header(HeaderNames.ACCESS_CONTROL_ALLOW_HEADERS,
                "X-Requested-With, Content-Type, Authorization");
        if (req.prologue().method() == Method.OPTIONS) {
            res.status(Status.OK_200).send();
            return;
        }
        chain.proceed();
    }
}
