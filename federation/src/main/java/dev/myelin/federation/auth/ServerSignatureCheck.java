package dev.myelin.federation.auth;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.ServerName;

/**
 * Answers whether an event is validly signed by a server, for the authorization rule on
 * {@code join_authorised_via_users_server}. The authorization rules are pure, so the caller
 * supplies this check when it has the server's keys at hand.
 */
@FunctionalInterface
public interface ServerSignatureCheck {
    /**
     * Only checks that the event carries a signature from the server. Use it when signatures
     * have already been verified cryptographically (as the checks on receipt of a PDU do).
     */
    ServerSignatureCheck PRESENT = (event, server) -> {
        JsonNode sigs = event.json().path("signatures").path(server.value());
        return sigs.isObject() && sigs.size() > 0;
    };

    boolean isSignedBy(Pdu event, ServerName server);
}
