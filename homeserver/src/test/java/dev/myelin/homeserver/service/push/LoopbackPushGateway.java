package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A push gateway on a loopback port for tests: it records every {@code /notify} body it receives
 * and answers with the scripted responses in order, then with 200 {@code {"rejected":[]}}. Its
 * answers can be held back until {@link #release()}, to let notifications queue up.
 */
final class LoopbackPushGateway implements AutoCloseable {
    /** One scripted answer. */
    record Answer(int status, String body) {
        static Answer ok() {
            return new Answer(200, "{\"rejected\":[]}");
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Answer> script = new LinkedBlockingQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicInteger maxInFlight = new AtomicInteger();
    private volatile CountDownLatch hold = new CountDownLatch(0);

    LoopbackPushGateway() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/_matrix/push/v1/notify", this::notify);
        server.setExecutor(executor);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/_matrix/push/v1/notify";
    }

    /** The next answers, in order. */
    void answer(Answer... answers) {
        script.addAll(java.util.List.of(answers));
    }

    /** Holds every answer back until {@link #release()}. */
    void hold() {
        hold = new CountDownLatch(1);
    }

    void release() {
        hold.countDown();
    }

    /** The next body received, waiting up to 10 s for it. */
    JsonNode next() throws InterruptedException {
        JsonNode body = received.poll(10, TimeUnit.SECONDS);
        if (body == null) {
            throw new AssertionError("the push gateway received nothing within 10 s");
        }
        return body;
    }

    /** The next body received within the duration, or null. */
    JsonNode next(Duration within) throws InterruptedException {
        return received.poll(within.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The most requests that were in flight at once. */
    int maxInFlight() {
        return maxInFlight.get();
    }

    private void notify(HttpExchange exchange) throws IOException {
        maxInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        try {
            received.add(JSON.readTree(exchange.getRequestBody()));
            hold.await();
            Answer answer = script.poll();
            if (answer == null) {
                answer = Answer.ok();
            }
            inFlight.decrementAndGet();
            byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(answer.status(), bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exchange.close();
        }
    }

    @Override
    public void close() {
        hold.countDown();
        server.stop(0);
        executor.shutdownNow();
    }
}
