package dev.myelin.homeserver.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import dev.myelin.homeserver.schema.SpecSchemas;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A plain HTTP client for tests that checks every response it gets against the specification:
 * the status the test expects, and the body against the schema of that endpoint and status.
 * Problems are collected, so one run reports every mismatch at once.
 */
final class SpecClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final SpecSchemas spec = SpecSchemas.clientServer();
    private final List<String> problems = new ArrayList<>();
    private final Set<String> validated = new TreeSet<>();
    private String accessToken;

    SpecClient(String baseUrl) {
        this.baseUrl = baseUrl.replaceAll("/+$", "");
    }

    /** Sends later requests with this access token (null for none). */
    void useToken(String token) {
        this.accessToken = token;
    }

    /** Everything that didn't match the specification so far. */
    List<String> problems() {
        return problems;
    }

    /** The operations ("GET /path/template 200") whose responses were validated. */
    Set<String> validated() {
        return validated;
    }

    /**
     * Performs one request and validates its response.
     *
     * @param status   the status the test expects
     * @param method   the HTTP method
     * @param template the path template as the specification names it; {@code {name}} placeholders
     *                 are filled from {@code pathArgs} in order, URL-encoded
     * @param query    a query string without the leading "?", or null
     * @param body     a request body (serialized as JSON), or null for none
     * @return the parsed response body (a MissingNode when it isn't JSON)
     */
    JsonNode call(int status, String method, String template, String query, Object body, String... pathArgs) {
        String path = fill(template, pathArgs) + (query == null ? "" : "?" + query);
        String operation = method + " " + template;
        HttpResponse<String> response = send(method, path, body);
        JsonNode json = parse(response.body());
        if (response.statusCode() != status) {
            problems.add(operation + ": expected status " + status + " but got " + response.statusCode()
                    + " " + abbreviate(response.body()));
            return json;
        }
        if (json.isMissingNode()) {
            problems.add(operation + ": the " + response.statusCode() + " response body is not JSON: "
                    + abbreviate(response.body()));
            return json;
        }
        try {
            List<String> messages = spec.validateResponse(template, method, response.statusCode(), json);
            problems.addAll(messages);
            validated.add(operation + " " + response.statusCode());
        } catch (IllegalArgumentException undocumented) {
            problems.add(operation + ": " + undocumented.getMessage());
        }
        return json;
    }

    /**
     * For endpoints a server may choose not to serve (such as {@code /.well-known/matrix/client}):
     * a 404 is accepted without a body check; any other answer is checked like {@link #call} with 200.
     */
    void optional(String method, String template) {
        HttpResponse<String> response = send(method, template, null);
        if (response.statusCode() != 404) {
            call(200, method, template, null, null);
        }
    }

    /** Like {@link #call}, but stops the test at once when the status is wrong: later steps need the result. */
    JsonNode require(int status, String method, String template, String query, Object body, String... pathArgs) {
        int before = problems.size();
        JsonNode json = call(status, method, template, query, body, pathArgs);
        for (String problem : problems.subList(before, problems.size())) {
            if (problem.contains("expected status")) {
                throw new AssertionError(problem + "\nEarlier problems:\n  "
                        + String.join("\n  ", problems.subList(0, before)));
            }
        }
        return json;
    }

    /** URL-encodes a query parameter value. */
    static String enc(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpResponse<String> send(String method, String path, Object body) {
        try {
            HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + path))
                    .timeout(Duration.ofSeconds(30))
                    .method(method, publisher);
            if (body != null) {
                request.header("Content-Type", "application/json");
            }
            if (accessToken != null) {
                request.header("Authorization", "Bearer " + accessToken);
            }
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    private static String fill(String template, String... args) {
        StringBuilder path = new StringBuilder();
        int next = 0;
        int i = 0;
        while (i < template.length()) {
            int open = template.indexOf('{', i);
            if (open < 0) {
                path.append(template, i, template.length());
                break;
            }
            int close = template.indexOf('}', open);
            if (next >= args.length) {
                throw new IllegalArgumentException("Too few path arguments for " + template);
            }
            path.append(template, i, open).append(enc(args[next++]));
            i = close + 1;
        }
        if (next != args.length) {
            throw new IllegalArgumentException("Too many path arguments for " + template);
        }
        return path.toString();
    }

    private static JsonNode parse(String text) {
        try {
            return text == null || text.isBlank() ? MissingNode.getInstance() : JSON.readTree(text);
        } catch (IOException notJson) {
            return MissingNode.getInstance();
        }
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? String.valueOf(text) : text.substring(0, 300) + "...";
    }
}
