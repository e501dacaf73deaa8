package dev.myelin.homeserver.service.push.rules;

import java.util.Optional;

/** The kinds of push rules, in the order the spec evaluates them. */
public enum RuleKind {
    OVERRIDE, CONTENT, ROOM, SENDER, UNDERRIDE;

    /** The kind's name in paths and JSON ({@code override}, ...). */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    public static Optional<RuleKind> of(String key) {
        for (RuleKind kind : values()) {
            if (kind.key().equals(key)) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
