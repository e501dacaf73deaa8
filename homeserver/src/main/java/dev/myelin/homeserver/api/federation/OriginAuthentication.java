package dev.myelin.homeserver.api.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.keys.KeyRing;
import dev.myelin.federation.transport.XMatrixAuth;
import dev.myelin.federation.transport.XMatrixException;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import java.time.Clock;
import java.util.function.Consumer;

/**
 * Authenticates a request from another server ("Request Authentication"): the X-Matrix
 * Authorization header names the origin, its key and this server as destination, and its
 * signature over method, URI, origin, destination and body verifies with the origin's key.
 * Anything else is 401 M_UNAUTHORIZED.
 */
public final class OriginAuthentication {
    private final ServerName self;
    private final KeyRing keys;
    private final Clock clock;
    private final Consumer<ServerName> heardFrom;

    public OriginAuthentication(ServerName self, KeyRing keys, Clock clock, Consumer<ServerName> heardFrom) {
        this.self = self;
        this.keys = keys;
        this.clock = clock;
        this.heardFrom = heardFrom;
    }

    /** The authenticated origin of the request. */
    public ServerName origin(MatrixRequest request) {
        String header = request.header("Authorization")
                .orElseThrow(() -> unauthorized("Missing X-Matrix Authorization header"));
        XMatrixAuth auth;
        try {
            auth = XMatrixAuth.parse(header);
        } catch (XMatrixException e) {
            throw unauthorized("Malformed X-Matrix Authorization header: " + e.getMessage());
        }
        if (auth.destination() != null && !auth.destination().equals(self)) {
            throw unauthorized("This request is for " + auth.destination() + ", not " + self);
        }
        if (auth.origin().equals(self)) {
            throw unauthorized("A request cannot come from this server itself");
        }
        byte[] key = keys.verifyKey(auth.origin(), auth.keyId(), clock.millis())
                .orElseThrow(() -> unauthorized("Cannot find the key " + auth.keyId() + " of " + auth.origin()));
        JsonNode content = request.hasBody() ? request.body() : null;
        if (!auth.verify(key, self, request.method(), request.rawUri(), content)) {
            throw unauthorized("The X-Matrix signature does not verify");
        }
        heardFrom.accept(auth.origin());
        return auth.origin();
    }

    private static MatrixException unauthorized(String message) {
        return new MatrixException(ErrCode.M_UNAUTHORIZED, message);
    }
}
