package dev.myelin.federation.transport;

import java.util.regex.Pattern;

/** A server name split into host and optional port; {@code port} is -1 when absent. */
record HostPort(String host, int port, boolean ipLiteral) {
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    /** Splits {@code host[:port]}; throws IllegalArgumentException for a bad port or an empty host. */
    static HostPort parse(String name) {
        String host = name;
        String port = null;
        if (name.startsWith("[")) {
            int close = name.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("unclosed IPv6 literal in " + name);
            }
            host = name.substring(0, close + 1);
            if (close + 1 < name.length()) {
                if (name.charAt(close + 1) != ':') {
                    throw new IllegalArgumentException("bad server name " + name);
                }
                port = name.substring(close + 2);
            }
        } else {
            int colon = name.lastIndexOf(':');
            if (colon >= 0) {
                host = name.substring(0, colon);
                port = name.substring(colon + 1);
            }
        }
        if (host.isEmpty() || host.equals("[]")) {
            throw new IllegalArgumentException("empty host in server name " + name);
        }
        int p = -1;
        if (port != null) {
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                p = 0;
            }
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("bad port in server name " + name);
            }
        }
        return new HostPort(host, p, host.startsWith("[") || IPV4.matcher(host).matches());
    }

    /** The host without IPv6 brackets, as a certificate names an IP address. */
    String bareHost() {
        return host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
    }

    int portOr(int fallback) {
        return port > 0 ? port : fallback;
    }
}
