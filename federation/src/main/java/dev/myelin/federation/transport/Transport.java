package dev.myelin.federation.transport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** The HTTP plumbing shared by the federation client and the well-known fetcher. */
final class Transport {
    private Transport() {
    }

    static HttpClient client(SSLContext ssl, Duration timeout) {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .sslContext(ssl)
                .build();
    }

    /** Refuses (status 0) a host that does not resolve or has any address the policy refuses. */
    static void checkAddresses(AddressPolicy policy, String host) {
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw new FederationException(0, "M_UNKNOWN", "cannot resolve host " + bare);
        }
        for (InetAddress address : addresses) {
            if (!policy.allowed(address)) {
                throw new FederationException(0, "M_UNKNOWN", "refusing to connect to " + bare + " ("
                        + address.getHostAddress() + "): private or reserved address not allowed by the address policy");
            }
        }
    }

    /**
     * Sends a request; the whole exchange, body included, must finish within {@code timeout}
     * and the body must fit in {@code maxBytes}. Failures without an HTTP answer are
     * {@link FederationException}s with status 0.
     */
    static HttpResponse<byte[]> send(HttpClient client, HttpRequest request, Duration timeout, long maxBytes) {
        CompletableFuture<HttpResponse<byte[]>> future = client.sendAsync(request, info -> new LimitedBody(maxBytes,
                info.headers().firstValueAsLong("content-length").orElse(-1)));
        String where = request.method() + " " + request.uri();
        try {
            return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new FederationException(0, "M_UNKNOWN", where + " timed out after " + timeout, e);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new FederationException(0, "M_UNKNOWN", where + " interrupted", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof TooLarge) {
                throw new FederationException(0, "M_TOO_LARGE", where + ": " + cause.getMessage(), cause);
            }
            String kind = hasCause(cause, SSLException.class) ? "TLS failure" : "request failed";
            throw new FederationException(0, "M_UNKNOWN", where + ": " + kind + ": " + cause, cause);
        }
    }

    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    static final class TooLarge extends IOException {
        TooLarge(long max) {
            super("response larger than " + max + " bytes");
        }
    }

    /** Collects a body into memory, failing as soon as it passes the limit. */
    private static final class LimitedBody implements BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> result = new CompletableFuture<>();
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final long max;
        private final long declared;
        private Flow.Subscription subscription;

        LimitedBody(long max, long declaredLength) {
            this.max = max;
            this.declared = declaredLength;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (declared > max) {
                s.cancel();
                result.completeExceptionally(new TooLarge(max));
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer b : buffers) {
                if ((long) out.size() + b.remaining() > max) {
                    subscription.cancel();
                    result.completeExceptionally(new TooLarge(max));
                    return;
                }
                byte[] chunk = new byte[b.remaining()];
                b.get(chunk);
                out.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable t) {
            result.completeExceptionally(t);
        }

        @Override
        public void onComplete() {
            result.complete(out.toByteArray());
        }

        @Override
        public CompletionStage<byte[]> getBody() {
            return result;
        }
    }
}
