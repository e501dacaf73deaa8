package dev.myelin.federation.keys;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.ServerSignatureCheck;
import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.EventSigning;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The signature check on receipt of a PDU (server-server API, "Validating hashes and signatures
 * on received events"): the redacted event must carry a valid signature from each server
 * expected to have signed it, with a key valid at its {@code origin_server_ts}. The content hash
 * is a separate check ({@link Pdu#contentHashMatches()}); so is the invitee server's signature
 * on events received through {@code /invite}, which the homeserver adds itself.
 */
public final class EventSignatureCheck {
    private static final String ED25519_PREFIX = SigningKey.ALGORITHM + ":";

    private EventSignatureCheck() {
    }

    /**
     * Checks every expected signature: the sender's server (unless the event is an invite made
     * from a third-party invite, which another server may have sent), and, for a join authorised
     * by another server's user in a room version with restricted joins, that user's server.
     *
     * @throws SignatureException naming the server (and key) whose signature is missing or invalid
     */
    public static void verify(Pdu pdu, KeyRing ring) {
        for (ServerName server : expectedSigners(pdu)) {
            checkSignedBy(pdu, server, ring);
        }
    }

    /** The servers whose signatures {@link #verify} requires on {@code pdu}. */
    public static Set<ServerName> expectedSigners(Pdu pdu) {
        Set<ServerName> servers = new LinkedHashSet<>();
        boolean thirdPartyInvite = "invite".equals(pdu.membership()) && pdu.content("third_party_invite") != null;
        if (!thirdPartyInvite) {
            servers.add(pdu.sender().server());
        }
        if (pdu.roomVersion().restrictedJoinAllowed() && "join".equals(pdu.membership())) {
            String via = pdu.contentString("join_authorised_via_users_server");
            if (via != null) {
                try {
                    servers.add(UserId.of(via).server());
                } catch (IllegalArgumentException e) {
                    throw new SignatureException("join_authorised_via_users_server is not a user ID: " + via);
                }
            }
        }
        return servers;
    }

    /**
     * The existing authorization-rule hook, answering with a full cryptographic check of
     * {@code server}'s signature (keys valid at the event's {@code origin_server_ts}).
     */
    public static ServerSignatureCheck asServerSignatureCheck(KeyRing ring) {
        return (event, server) -> {
            try {
                checkSignedBy(event, server, ring);
                return true;
            } catch (SignatureException e) {
                return false;
            }
        };
    }

    /**
     * Checks {@code server}'s Ed25519 signatures on the redacted event: each one whose key can be
     * had must verify, and at least one must (the spec's "Checking for a signature").
     */
    static void checkSignedBy(Pdu pdu, ServerName server, KeyRing ring) {
        ObjectNode json = pdu.json();
        JsonNode sigs = json.path("signatures").path(server.value());
        List<String> keyIds = new ArrayList<>();
        sigs.fieldNames().forEachRemaining(id -> {
            if (id.startsWith(ED25519_PREFIX)) {
                keyIds.add(id);
            }
        });
        if (keyIds.isEmpty()) {
            throw new SignatureException(pdu.eventId() + " carries no ed25519 signature from " + server);
        }
        boolean verified = false;
        for (String keyId : keyIds) {
            Optional<byte[]> key = ring.verifyKey(server, keyId, pdu.originServerTs());
            if (key.isEmpty()) {
                continue;
            }
            if (!EventSigning.verify(json, pdu.roomVersion(), server.value(), keyId, key.get())) {
                throw new SignatureException(pdu.eventId() + ": the signature of " + server + " with key "
                        + keyId + " does not verify");
            }
            verified = true;
        }
        if (!verified) {
            throw new SignatureException(pdu.eventId() + ": no key of " + server + " valid at "
                    + pdu.originServerTs() + " among " + keyIds);
        }
    }
}
