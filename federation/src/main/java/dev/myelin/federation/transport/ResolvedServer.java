package dev.myelin.federation.transport;

/**
 * Where to send requests for a server name, as server discovery found it.
 *
 * @param host the host to connect to: a DNS name, an IPv4 literal or a bracketed IPv6 literal
 * @param port the TCP port
 * @param hostHeader the {@code Host} header the spec asks for
 * @param tlsServerName the name (or bare IP) the target's TLS certificate must be valid for
 */
public record ResolvedServer(String host, int port, String hostHeader, String tlsServerName) {
}
