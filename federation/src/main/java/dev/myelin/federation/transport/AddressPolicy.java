package dev.myelin.federation.transport;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which IP addresses outbound federation requests may reach. Loopback, private and
 * unique-local (10/8, 172.16/12, 192.168/16, fc00::/7, fec0::/10), link-local (169.254/16,
 * fe80::/10), unspecified (0.0.0.0/8, ::), multicast, reserved (240/4) and carrier-grade NAT
 * (100.64/10) addresses are refused, unless one of the configured CIDR ranges contains them.
 * IPv4-mapped and IPv4-compatible IPv6 addresses are judged as the IPv4 address they carry.
 */
public final class AddressPolicy {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final List<Cidr> DENIED = List.of(
            Cidr.parse("0.0.0.0/8"), Cidr.parse("10.0.0.0/8"), Cidr.parse("100.64.0.0/10"),
            Cidr.parse("127.0.0.0/8"), Cidr.parse("169.254.0.0/16"), Cidr.parse("172.16.0.0/12"),
            Cidr.parse("192.168.0.0/16"), Cidr.parse("224.0.0.0/4"), Cidr.parse("240.0.0.0/4"),
            Cidr.parse("::/128"), Cidr.parse("::1/128"), Cidr.parse("fc00::/7"), Cidr.parse("fe80::/10"),
            Cidr.parse("fec0::/10"), Cidr.parse("ff00::/8"));

    private final List<Cidr> allowed;

    /** A policy that allows the given CIDR ranges even though they are private. */
    public AddressPolicy(List<String> allowedCidrs) {
        List<Cidr> list = new ArrayList<>();
        for (String cidr : allowedCidrs) {
            list.add(Cidr.parse(cidr.strip()));
        }
        this.allowed = List.copyOf(list);
    }

    /** The policy that refuses every private address. */
    public static AddressPolicy denyPrivate() {
        return new AddressPolicy(List.of());
    }

    /**
     * Parses a comma-separated list such as {@code "127.0.0.0/8, 10.1.0.0/16, fd00::/8"}; a bare
     * address means just that address. Blank input allows no private range.
     *
     * @throws IllegalArgumentException naming the first invalid entry
     */
    public static AddressPolicy parse(String commaSeparatedCidrs) {
        List<String> cidrs = new ArrayList<>();
        if (commaSeparatedCidrs != null) {
            for (String part : commaSeparatedCidrs.split(",")) {
                if (!part.isBlank()) {
                    cidrs.add(part.strip());
                }
            }
        }
        return new AddressPolicy(cidrs);
    }

    /** Whether a request may connect to {@code address}. */
    public boolean allowed(InetAddress address) {
        byte[] bytes = normalize(address.getAddress());
        for (Cidr cidr : allowed) {
            if (cidr.contains(bytes)) {
                return true;
            }
        }
        for (Cidr cidr : DENIED) {
            if (cidr.contains(bytes)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return "AddressPolicy[allowed=" + allowed + "]";
    }

    /** IPv4-mapped (::ffff:a.b.c.d) and IPv4-compatible (::a.b.c.d) IPv6 addresses as IPv4. */
    private static byte[] normalize(byte[] b) {
        if (b.length != 16) {
            return b;
        }
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return b;
            }
        }
        boolean mapped = b[10] == (byte) 0xff && b[11] == (byte) 0xff;
        boolean compatible = b[10] == 0 && b[11] == 0 && (b[12] != 0 || b[13] != 0);
        return mapped || compatible ? Arrays.copyOfRange(b, 12, 16) : b;
    }

    /** An address range; parses literals only, never asking DNS. */
    private record Cidr(String text, byte[] network, int prefix) {
        static Cidr parse(String text) {
            int slash = text.indexOf('/');
            String addr = slash < 0 ? text : text.substring(0, slash);
            byte[] bytes = literal(addr, text);
            int prefix = bytes.length * 8;
            if (slash >= 0) {
                try {
                    prefix = Integer.parseInt(text.substring(slash + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length is not a number");
                }
                if (prefix < 0 || prefix > bytes.length * 8) {
                    throw new IllegalArgumentException("invalid CIDR '" + text + "': prefix length must be 0.."
                            + bytes.length * 8);
                }
            }
            return new Cidr(text, bytes, prefix);
        }

        private static byte[] literal(String addr, String text) {
            if (!IPV4.matcher(addr).matches() && !addr.contains(":")) {
                throw new IllegalArgumentException("invalid CIDR '" + text
                        + "': expected an IPv4 or IPv6 address, optionally followed by /prefix");
            }
            try {
                return InetAddress.getByName(addr).getAddress(); // a literal: no DNS lookup
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("invalid CIDR '" + text + "': " + e.getMessage());
            }
        }

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
