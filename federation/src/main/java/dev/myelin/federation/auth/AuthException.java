package dev.myelin.federation.auth;

/** An event is not allowed by the authorization rules; the message names the rule that failed. */
public class AuthException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String rule;

    public AuthException(String rule, String message) {
        super("auth rule " + rule + ": " + message);
        this.rule = rule;
    }

    /** The number of the failed rule in the room version's authorization rules, e.g. {@code "4.3.2"}. */
    public String rule() {
        return rule;
    }
}
