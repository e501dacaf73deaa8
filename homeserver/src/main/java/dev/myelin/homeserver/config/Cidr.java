package dev.myelin.homeserver.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address block such as {@code 10.0.0.0/8} or {@code fd00::/8}. The address must be
 * a literal (never looked up in DNS); host bits below the prefix are ignored.
 *
 * @param network the address as written
 * @param prefix  the number of leading bits that a matching address shares with {@code network}
 */
public record Cidr(InetAddress network, int prefix) {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:.]+");

    public Cidr {
        int bits = network.getAddress().length * 8;
        if (prefix < 0 || prefix > bits) {
            throw new ConfigException("CIDR prefix must be 0-" + bits + ", got " + prefix);
        }
    }

    /** Parses {@code address/prefix}; a bare address is a block of one ({@code /32} or {@code /128}). */
    public static Cidr parse(String text) {
        String value = text.strip();
        int slash = value.indexOf('/');
        String address = slash < 0 ? value : value.substring(0, slash);
        InetAddress network = literal(address, value);
        int bits = network.getAddress().length * 8;
        if (slash < 0) {
            return new Cidr(network, bits);
        }
        String prefixText = value.substring(slash + 1);
        if (!prefixText.matches("\\d{1,3}") || Integer.parseInt(prefixText) > bits) {
            throw new ConfigException("not a CIDR (prefix must be 0-" + bits + "): '" + value + "'");
        }
        return new Cidr(network, Integer.parseInt(prefixText));
    }

    /** Parses a comma-separated list of CIDRs; blank entries are skipped, an empty text is an empty list. */
    public static List<Cidr> parseList(String text) {
        List<Cidr> cidrs = new ArrayList<>();
        if (text == null) {
            return cidrs;
        }
        for (String part : text.split(",")) {
            if (!part.isBlank()) {
                cidrs.add(parse(part));
            }
        }
        return List.copyOf(cidrs);
    }

    /** Whether {@code address} lies in this block (an IPv4 address never lies in an IPv6 block, nor the reverse). */
    public boolean contains(InetAddress address) {
        byte[] a = network.getAddress();
        byte[] b = address.getAddress();
        if (a.length != b.length) {
            return false;
        }
        int whole = prefix / 8;
        for (int i = 0; i < whole; i++) {
            if (a[i] != b[i]) {
                return false;
            }
        }
        int rest = prefix % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xFF << (8 - rest)) & 0xFF;
        return (a[whole] & mask) == (b[whole] & mask);
    }

    @Override
    public String toString() {
        return network.getHostAddress() + "/" + prefix;
    }

    private static InetAddress literal(String address, String whole) {
        boolean v4 = IPV4.matcher(address).matches();
        boolean v6 = !v4 && address.indexOf(':') >= 0 && IPV6.matcher(address).matches();
        if (v4) {
            for (String octet : address.split("\\.")) {
                if (Integer.parseInt(octet) > 255) {
                    v4 = false;
                }
            }
        }
        if (!v4 && !v6) {
            throw new ConfigException("not a CIDR (address must be an IPv4 or IPv6 literal): '" + whole + "'");
        }
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new ConfigException("not a CIDR (bad IP address): '" + whole + "'");
        }
    }
}
