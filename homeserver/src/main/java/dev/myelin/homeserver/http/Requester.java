package dev.myelin.homeserver.http;

import dev.myelin.federation.id.UserId;

/**
 * Who is making an authenticated client request: the user, their device, and the hash of the
 * access token used (so that logout can revoke exactly that token).
 */
public record Requester(UserId userId, String deviceId, String tokenHash) {
}
