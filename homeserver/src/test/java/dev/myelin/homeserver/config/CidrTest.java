package dev.myelin.homeserver.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@link Cidr}: parsing literals only, and matching addresses against a prefix. */
class CidrTest {
    @Test
    void parsesIpv4AndIpv6Blocks() {
        assertEquals("10.0.0.0/8", Cidr.parse("10.0.0.0/8").toString());
        assertEquals(128, Cidr.parse("::1").prefix());
        assertEquals(32, Cidr.parse(" 127.0.0.1 ").prefix());
        assertEquals(List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")),
                Cidr.parseList(" 10.0.0.0/8 , ,fd00::/8"));
        assertEquals(List.of(), Cidr.parseList(""));
    }

    @Test
    void containsComparesThePrefixBits() throws UnknownHostException {
        Cidr block = Cidr.parse("192.168.4.0/22");
        assertTrue(block.contains(ip("192.168.7.255")));
        assertFalse(block.contains(ip("192.168.8.0")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(ip("8.8.8.8")));
        assertTrue(Cidr.parse("fd00::/8").contains(ip("fd12:3456::1")));
        assertFalse(Cidr.parse("fd00::/8").contains(ip("fe80::1")));
        assertFalse(Cidr.parse("0.0.0.0/0").contains(ip("::1")));
    }

    @Test
    void refusesHostNamesAndBadPrefixes() {
        for (String bad : List.of("localhost/8", "10.0.0.0/33", "1.2.3/8", "::/129", "10.0.0.0/-1", "/8", "")) {
            assertThrows(ConfigException.class, () -> Cidr.parse(bad), bad);
        }
    }

    private static InetAddress ip(String literal) throws UnknownHostException {
        return InetAddress.getByName(literal);
    }
}
