package dev.myelin.homeserver.http;

/** A response body with a status other than 200. */
public record Reply(int status, Object body) {
}
