package dev.myelin.homeserver.http;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import io.helidon.http.RequestException;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http.ServerResponse;

/** The one place where failures become {@code {"errcode","error"}} responses. */
public final class ErrorHandling {
    private static final Logger LOG = Logger.getLogger(ErrorHandling.class.getName());

    private ErrorHandling() {
    }

    public static void register(HttpRouting.Builder routing) {
        routing.error(MatrixException.class, (req, res, e) -> write(res, e));
        routing.error(RequestException.class, (req, res, e) -> write(res,
                new MatrixException(ErrCode.M_UNKNOWN, e.status().code(), e.getMessage(), Map.of())));
        routing.error(Throwable.class, (req, res, e) -> {
            LOG.log(Level.SEVERE, "Unhandled error on " + req.prologue().method() + " " + req.path().path(), e);
            write(res, new MatrixException(ErrCode.M_UNKNOWN, 500, "Internal server error", Map.of()));
        });
    }

    static void write(ServerResponse res, MatrixException e) {
        if (res.isSent()) {
            return;
        }
        Map<String, Object> body = new LinkedHashMap<>(e.extra());
        if (e.errcode() != null) {
            body.put("errcode", e.errcode().name());
            body.put("error", e.getMessage() == null ? e.errcode().name() : e.getMessage());
        }
        ApiRoutes.send(res, e.status(), body);
    }
}
