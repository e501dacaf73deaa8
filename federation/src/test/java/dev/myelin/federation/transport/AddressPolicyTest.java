package dev.myelin.federation.transport;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class AddressPolicyTest {
    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void refusesPrivateAndSpecialAddressesByDefault() {
        AddressPolicy policy = AddressPolicy.denyPrivate();
        for (String bad : new String[] {"127.0.0.1", "127.255.0.9", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.127.255.255", "0.0.0.0", "224.0.0.1",
                "255.255.255.255", "::1", "::", "fc00::1", "fd12:3456::1", "fe80::1", "fec0::1", "ff02::1",
                "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::10.0.0.1"}) {
            assertFalse(policy.allowed(ip(bad)), bad);
        }
    }

    @Test
    void allowsPublicAddresses() {
        AddressPolicy policy = AddressPolicy.parse("");
        for (String good : new String[] {"8.8.8.8", "172.15.255.255", "172.32.0.1", "100.63.255.255",
                "100.128.0.1", "192.169.0.1", "2001:db8::1", "2606:4700::1111", "::ffff:8.8.8.8"}) {
            assertTrue(policy.allowed(ip(good)), good);
        }
    }

    @Test
    void allowedRangesOverrideTheDenyList() {
        AddressPolicy policy = AddressPolicy.parse(" 127.0.0.0/8 , 10.1.0.0/16,fd00::/8, 192.168.1.7");
        assertTrue(policy.allowed(ip("127.0.0.1")));
        assertTrue(policy.allowed(ip("::ffff:127.0.0.2")));
        assertTrue(policy.allowed(ip("10.1.200.3")));
        assertFalse(policy.allowed(ip("10.2.0.1")));
        assertTrue(policy.allowed(ip("fd00::5")));
        assertFalse(policy.allowed(ip("fc00::5")));
        assertTrue(policy.allowed(ip("192.168.1.7")));
        assertFalse(policy.allowed(ip("192.168.1.8")));
        assertFalse(policy.allowed(ip("::1")));
    }

    @Test
    void oddPrefixLengthsMatchBitwise() {
        AddressPolicy policy = AddressPolicy.parse("172.20.0.0/14");
        assertTrue(policy.allowed(ip("172.23.255.255")));
        assertFalse(policy.allowed(ip("172.24.0.0")));
        assertTrue(AddressPolicy.parse("0.0.0.0/0").allowed(ip("127.0.0.1")));
        assertFalse(AddressPolicy.parse("0.0.0.0/0").allowed(ip("::1")));
    }

    @Test
    void invalidCidrsAreRefusedClearly() {
        for (String bad : new String[] {"example.com/8", "10.0.0.0/33", "10.0.0.0/x", "256.0.0.1/8", "10.0.0/8",
                "::1/129", "1:2:3/64", "10.0.0.0/-1"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> AddressPolicy.parse(bad), bad);
            assertTrue(e.getMessage().contains("invalid CIDR '" + bad + "'"), e.getMessage());
        }
    }
}
