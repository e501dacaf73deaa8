package dev.myelin.homeserver.http;

/** Resolves an access token to its requester, or throws M_UNKNOWN_TOKEN. */
@FunctionalInterface
public interface Authenticator {
    Requester authenticate(String accessToken);
}
