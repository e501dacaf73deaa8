package dev.myelin.federation.acl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.json.CanonicalJson;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ServerAclTest {
    private static ServerAcl acl(String content) {
        return ServerAcl.fromContent(CanonicalJson.parse(content));
    }

    @Test
    void noAclAllowsEveryone() {
        assertTrue(ServerAcl.ALLOW_ALL.isAllowed("evil.com"));
        assertTrue(ServerAcl.ALLOW_ALL.isAllowed("1.2.3.4"));
    }

    @Test
    void missingAllowDeniesEveryoneIncludingTheSender() {
        ServerAcl acl = acl("{\"deny\":[\"evil.com\"]}");
        assertFalse(acl.isAllowed("good.org"));
        assertFalse(acl.isAllowed("evil.com"));
    }

    @Test
    void denyWinsOverAllow() {
        ServerAcl acl = acl("{\"allow\":[\"*\"],\"deny\":[\"evil.com\",\"*.evil.com\"]}");
        assertTrue(acl.isAllowed("good.org"));
        assertFalse(acl.isAllowed("evil.com"));
        assertFalse(acl.isAllowed("matrix.evil.com"));
        assertTrue(acl.isAllowed("notevil.com"));
    }

    @Test
    void portIsIgnored() {
        ServerAcl acl = acl("{\"allow\":[\"*\"],\"deny\":[\"evil.com\"]}");
        assertFalse(acl.isAllowed("evil.com:8448"));
        assertFalse(acl.isAllowed("evil.com:1234"));
        assertTrue(acl.isAllowed("good.org:8448"));
    }

    @Test
    void matchingIgnoresCase() {
        ServerAcl acl = acl("{\"allow\":[\"*\"],\"deny\":[\"Evil.COM\"]}");
        assertFalse(acl.isAllowed("EVIL.com"));
        assertFalse(acl.isAllowed("evil.com"));
    }

    @Test
    void questionMarkMatchesExactlyOneCharacter() {
        ServerAcl acl = acl("{\"allow\":[\"server?.org\"]}");
        assertTrue(acl.isAllowed("server1.org"));
        assertFalse(acl.isAllowed("server.org"));
        assertFalse(acl.isAllowed("server12.org"));
    }

    @Test
    void starMatchesAnyRunIncludingEmpty() {
        ServerAcl acl = acl("{\"allow\":[\"*.example.org\",\"a*z\"]}");
        assertTrue(acl.isAllowed("chat.example.org"));
        assertTrue(acl.isAllowed("a.b.example.org"));
        assertFalse(acl.isAllowed("example.org"));
        assertTrue(acl.isAllowed("az"));
        assertTrue(acl.isAllowed("abcz"));
    }

    @Test
    void regexCharactersInPatternsAreLiteral() {
        ServerAcl acl = acl("{\"allow\":[\"a.b\",\"(x)+\"]}");
        assertTrue(acl.isAllowed("a.b"));
        assertFalse(acl.isAllowed("axb"));
        assertTrue(acl.isAllowed("(x)+"));
        assertFalse(acl.isAllowed("xx"));
    }

    @Test
    void ipLiteralsDeniedOnlyWhenAllowIpLiteralsIsFalse() {
        ServerAcl strict = acl("{\"allow\":[\"*\"],\"allow_ip_literals\":false}");
        assertFalse(strict.isAllowed("1.2.3.4"));
        assertFalse(strict.isAllowed("1.2.3.4:8448"));
        assertFalse(strict.isAllowed("[::1]"));
        assertFalse(strict.isAllowed("[2001:db8::1]:8448"));
        assertTrue(strict.isAllowed("1.2.3.4.example.org"));
        ServerAcl lenient = acl("{\"allow\":[\"*\"]}");
        assertTrue(lenient.isAllowed("1.2.3.4"));
        assertTrue(lenient.isAllowed("[::1]:8448"));
        ServerAcl notBoolean = acl("{\"allow\":[\"*\"],\"allow_ip_literals\":\"no\"}");
        assertTrue(notBoolean.isAllowed("1.2.3.4"), "a non-boolean allow_ip_literals defaults to true");
    }

    @Test
    void ipv6LiteralMatchesPatternsWithBrackets() {
        ServerAcl acl = acl("{\"allow\":[\"*\"],\"deny\":[\"[2001:db8::*]\"]}");
        assertFalse(acl.isAllowed("[2001:db8::1]:8448"));
        assertTrue(acl.isAllowed("[2001:db9::1]"));
    }

    @Test
    void malformedListsAreEmptyForReceivers() {
        ServerAcl acl = acl("{\"allow\":\"*\",\"deny\":[1,\"evil.com\"]}");
        assertFalse(acl.isAllowed("good.org"), "a non-array allow is an empty list");
        ServerAcl mixed = acl("{\"allow\":[2,\"*\"],\"deny\":[1,\"evil.com\"]}");
        assertTrue(mixed.isAllowed("good.org"));
        assertFalse(mixed.isAllowed("evil.com"));
    }

    @Test
    void contentValidationForSenders() {
        assertEquals(Optional.empty(), ServerAclContent.problem(
                CanonicalJson.parse("{\"allow\":[\"*\"],\"deny\":[],\"allow_ip_literals\":false}")));
        assertEquals(Optional.empty(), ServerAclContent.problem(CanonicalJson.parse("{}")));
        assertTrue(ServerAclContent.problem(CanonicalJson.parse("{\"allow\":\"*\"}")).isPresent());
        assertTrue(ServerAclContent.problem(CanonicalJson.parse("{\"deny\":[1]}")).isPresent());
        assertTrue(ServerAclContent.problem(CanonicalJson.parse("{\"allow_ip_literals\":\"false\"}")).isPresent());
    }
}
