package dev.myelin.homeserver.service.push.rules;

import java.util.regex.Pattern;

/**
 * The glob patterns of push rules: {@code *} matches any run of characters, {@code ?} exactly
 * one, everything else itself, case-insensitively.
 */
final class Glob {
    private Glob() {
    }

    /** A pattern that must match the whole value. */
    static Pattern whole(String glob) {
        return Pattern.compile(regex(glob), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    /**
     * A pattern that matches where the glob matches a run of the value bounded by the value's
     * ends or by characters that are not letters, digits or underscores: the "words" of a body.
     */
    static Pattern words(String glob) {
        return Pattern.compile("(?:^|[^\\p{L}\\p{N}_])" + regex(glob) + "(?:$|[^\\p{L}\\p{N}_])",
                Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static String regex(String glob) {
        StringBuilder out = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    out.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                out.append(c == '*' ? ".*?" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            out.append(Pattern.quote(literal.toString()));
        }
        return out.toString();
    }
}
