package dev.myelin.federation.acl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A room's {@code m.room.server_acl}, evaluated as the spec orders it: no ACL allows everyone; an
 * IP literal is denied when {@code allow_ip_literals} is {@code false}; a {@code deny} match
 * denies; an {@code allow} match allows; anything else is denied. Patterns are the spec's
 * glob-style patterns ({@code *} any run of characters, {@code ?} exactly one), compared without
 * the server's port and without regard to case.
 */
public final class ServerAcl {
    /** The ACL of a room without an {@code m.room.server_acl} event: every server may take part. */
    public static final ServerAcl ALLOW_ALL = new ServerAcl(true, List.of(), List.of(), true);

    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private final boolean absent;
    private final List<Pattern> allow;
    private final List<Pattern> deny;
    private final boolean allowIpLiterals;

    private ServerAcl(boolean absent, List<Pattern> allow, List<Pattern> deny, boolean allowIpLiterals) {
        this.absent = absent;
        this.allow = allow;
        this.deny = deny;
        this.allowIpLiterals = allowIpLiterals;
    }

    /**
     * The ACL an event's content describes. Lenient as receivers must be: a missing or non-array
     * {@code allow} or {@code deny} is empty, non-string entries are ignored, and a missing or
     * non-boolean {@code allow_ip_literals} is {@code true}.
     */
    public static ServerAcl fromContent(JsonNode content) {
        JsonNode ipLiterals = content == null ? null : content.get("allow_ip_literals");
        return new ServerAcl(false, patterns(content, "allow"), patterns(content, "deny"),
                ipLiterals == null || !ipLiterals.isBoolean() || ipLiterals.booleanValue());
    }

    /** Whether the server (with or without a port) may take part in the room. */
    public boolean isAllowed(String serverName) {
        if (absent) {
            return true;
        }
        String host = hostOf(serverName).toLowerCase(Locale.ROOT);
        if (!allowIpLiterals && isIpLiteral(host)) {
            return false;
        }
        if (matchesAny(deny, host)) {
            return false;
        }
        return matchesAny(allow, host);
    }

    /** The server name without its port: {@code [::1]:8448} → {@code [::1]}, {@code a.org:8448} → {@code a.org}. */
    static String hostOf(String serverName) {
        if (serverName.startsWith("[")) {
            int close = serverName.indexOf(']');
            return close < 0 ? serverName : serverName.substring(0, close + 1);
        }
        int colon = serverName.lastIndexOf(':');
        return colon < 0 ? serverName : serverName.substring(0, colon);
    }

    /** An IPv6 literal in brackets, or a dotted IPv4 address. */
    static boolean isIpLiteral(String host) {
        return host.startsWith("[") || IPV4.matcher(host).matches();
    }

    /** Compiles a glob-style pattern into an anchored, case-insensitive regular expression. */
    static Pattern glob(String glob) {
        StringBuilder regex = new StringBuilder();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' || c == '?') {
                if (!literal.isEmpty()) {
                    regex.append(Pattern.quote(literal.toString()));
                    literal.setLength(0);
                }
                regex.append(c == '*' ? ".*" : ".");
            } else {
                literal.append(c);
            }
        }
        if (!literal.isEmpty()) {
            regex.append(Pattern.quote(literal.toString()));
        }
        return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.DOTALL);
    }

    private static boolean matchesAny(List<Pattern> patterns, String host) {
        for (Pattern pattern : patterns) {
            if (pattern.matcher(host).matches()) {
                return true;
            }
        }
        return false;
    }

    private static List<Pattern> patterns(JsonNode content, String field) {
        JsonNode list = content == null ? null : content.get(field);
        List<Pattern> patterns = new ArrayList<>();
        if (list != null && list.isArray()) {
            for (JsonNode entry : list) {
                if (entry.isTextual()) {
                    patterns.add(glob(entry.asText()));
                }
            }
        }
        return List.copyOf(patterns);
    }
}
