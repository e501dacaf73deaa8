package dev.myelin.federation.transport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/**
 * {@link WellKnownFetcher} over HTTPS: {@code GET https://<hostname>/.well-known/matrix/server}
 * with normal X.509 validation (unless TLS checks are off), following at most
 * {@value #MAX_REDIRECTS} 30x redirects to https URLs, every hop checked against the
 * {@link AddressPolicy}. Bodies over 64 KiB are refused.
 */
public final class HttpWellKnownFetcher implements WellKnownFetcher {
    static final int MAX_REDIRECTS = 5;
    private static final long MAX_BODY = 64 * 1024;
    private final HttpClient client;
    private final AddressPolicy policy;
    private final Duration timeout;

    public HttpWellKnownFetcher(AddressPolicy policy, boolean verifyTls, Duration timeout) {
        this(policy, defaultContext(verifyTls), timeout);
    }

    HttpWellKnownFetcher(AddressPolicy policy, SSLContext ssl, Duration timeout) {
        this.client = Transport.client(ssl, timeout);
        this.policy = policy;
        this.timeout = timeout;
    }

    private static SSLContext defaultContext(boolean verifyTls) {
        if (!verifyTls) {
            return ServerTrust.trustAll();
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Response fetch(String hostname) throws IOException {
        URI uri = URI.create("https://" + hostname + "/.well-known/matrix/server");
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            HttpResponse<byte[]> response;
            try {
                Transport.checkAddresses(policy, uri.getHost());
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                        .header("Accept", "application/json").build();
                response = Transport.send(client, request, timeout, MAX_BODY);
            } catch (FederationException e) {
                throw new IOException(e.getMessage(), e);
            }
            int status = response.statusCode();
            String location = response.headers().firstValue("location").orElse(null);
            if (status / 100 == 3 && location != null) {
                URI next = uri.resolve(location.strip());
                if (!"https".equalsIgnoreCase(next.getScheme()) || next.getHost() == null) {
                    throw new IOException("well-known redirect to a non-https URL: " + next);
                }
                uri = next;
                continue;
            }
            return new Response(status, new String(response.body(), StandardCharsets.UTF_8),
                    response.headers().firstValue("cache-control").orElse(null),
                    response.headers().firstValue("expires").orElse(null));
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects for the well-known of " + hostname);
    }
}
