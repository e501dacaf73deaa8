package dev.myelin.homeserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proves that {@link SpecSchemas} accepts what the specification allows and catches what it doesn't. */
class SpecSchemasTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final SpecSchemas spec = SpecSchemas.clientServer();

    private static JsonNode json(String text) throws Exception {
        return JSON.readTree(text);
    }

    @Test
    void acceptsValidVersions() throws Exception {
        List<String> messages = spec.validateResponse("/_matrix/client/versions", "GET", 200,
                json("{\"versions\":[\"v1.1\",\"v1.16\"],\"unstable_features\":{\"org.example\":true}}"));
        assertEquals(List.of(), messages);
    }

    @Test
    void rejectsVersionsOfWrongType() throws Exception {
        List<String> messages = spec.validateResponse("/_matrix/client/versions", "GET", 200,
                json("{\"versions\":5}"));
        assertFalse(messages.isEmpty(), "versions: 5 must not validate");
        assertTrue(messages.get(0).contains("versions"), messages.toString());
    }

    @Test
    void rejectsMissingRequiredProperty() throws Exception {
        List<String> messages = spec.validateResponse("/_matrix/client/v3/account/whoami", "get", 200,
                json("{\"device_id\":\"ABC\"}"));
        assertFalse(messages.isEmpty(), "whoami without user_id must not validate");
    }

    @Test
    void checksNestedSchemasOfTemplatedPaths() throws Exception {
        String path = "/_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}";
        assertEquals(List.of(), spec.validateResponse(path, "PUT", 200, json("{\"event_id\":\"$abc\"}")));
        assertFalse(spec.validateResponse(path, "PUT", 200, json("{\"event_id\":7}")).isEmpty());

        String login = "/_matrix/client/v3/login";
        assertEquals(List.of(), spec.validateResponse(login, "GET", 200,
                json("{\"flows\":[{\"type\":\"m.login.password\"}]}")));
        assertFalse(spec.validateResponse(login, "GET", 200, json("{\"flows\":[{\"kind\":\"x\"}]}")).isEmpty());
    }

    @Test
    void validatesDocumentedErrorResponses() throws Exception {
        String path = "/_matrix/client/v3/account/whoami";
        assertEquals(List.of(), spec.validateResponse(path, "GET", 401,
                json("{\"errcode\":\"M_UNKNOWN_TOKEN\",\"error\":\"Unknown token\"}")));
        assertFalse(spec.validateResponse(path, "GET", 401, json("{\"error\":\"no code\"}")).isEmpty());
    }

    @Test
    void refusesUnknownOperations() {
        assertThrows(IllegalArgumentException.class,
                () -> spec.validateResponse("/_matrix/client/v3/nope", "GET", 200, JSON.createObjectNode()));
        assertThrows(IllegalArgumentException.class,
                () -> spec.validateResponse("/_matrix/client/versions", "DELETE", 200, JSON.createObjectNode()));
        assertThrows(IllegalArgumentException.class,
                () -> spec.validateResponse("/_matrix/client/versions", "GET", 418, JSON.createObjectNode()));
    }
}
