package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.homeserver.http.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends one {@code POST /_matrix/push/v1/notify} to a push gateway and reads its answer: the
 * pushkeys it {@code rejected}, or why the request failed (no connection, a timeout, an HTTP
 * error status), which the caller retries.
 */
final class PushGatewayClient {
    /** What a gateway answered. */
    sealed interface Outcome {
    }

    /** A 2xx answer; {@code rejected} lists the pushkeys the gateway will no longer accept. */
    record Accepted(List<String> rejected) implements Outcome {
    }

    /** No usable answer; worth retrying. */
    record Failed(String reason) implements Outcome {
    }

    private final HttpClient http;
    private final Duration timeout;

    PushGatewayClient(Duration timeout) {
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** Posts the body and waits for the answer; interrupts propagate so shutdown is prompt. */
    Outcome notify(URI url, ObjectNode body) throws InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.write(body)))
                .build();
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            return new Failed(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (response.statusCode() / 100 != 2) {
            return new Failed("HTTP " + response.statusCode());
        }
        return new Accepted(rejected(response.body()));
    }

    /** The {@code rejected} pushkeys of a 2xx answer; a body that is not the spec's JSON rejects none. */
    private static List<String> rejected(byte[] body) {
        List<String> rejected = new ArrayList<>();
        try {
            JsonNode keys = Json.MAPPER.readTree(body).path("rejected");
            keys.forEach(key -> {
                if (key.isTextual()) {
                    rejected.add(key.textValue());
                }
            });
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return rejected;
    }
}
