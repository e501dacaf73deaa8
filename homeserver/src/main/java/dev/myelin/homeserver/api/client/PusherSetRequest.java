package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.homeserver.http.MatrixException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The body of {@code POST /_matrix/client/v3/pushers/set}, validated: missing fields are 400
 * {@code M_MISSING_PARAM} naming them all, wrong types and values 400 {@code M_INVALID_PARAM}.
 *
 * @param kind null to delete the pusher, else {@code "http"} (email pushers are refused: this
 *             server sends no notification mail)
 * @param data the pusher's data, for {@code http} with a {@code url} whose path is
 *             {@code /_matrix/push/v1/notify}
 */
record PusherSetRequest(String kind, String appId, String pushkey, String appDisplayName, String deviceDisplayName,
                        String profileTag, String lang, ObjectNode data, boolean append) {
    static final String NOTIFY_PATH = "/_matrix/push/v1/notify";
    private static final int MAX_APP_ID_CHARS = 64;
    private static final int MAX_PUSHKEY_BYTES = 512;

    boolean deletes() {
        return kind == null;
    }

    static PusherSetRequest parse(ObjectNode body) {
        List<String> missing = new ArrayList<>();
        if (!body.has("kind")) {
            missing.add("kind");
        }
        for (String field : List.of("app_id", "pushkey")) {
            if (!body.has(field) || body.get(field).isNull()) {
                missing.add(field);
            }
        }
        String kind = nullableString(body, "kind");
        if (kind != null) {
            for (String field : List.of("app_display_name", "device_display_name", "lang", "data")) {
                if (!body.has(field) || body.get(field).isNull()) {
                    missing.add(field);
                }
            }
        }
        if (!missing.isEmpty()) {
            throw MatrixException.missingParam("Missing parameters: " + String.join(", ", missing));
        }
        String appId = string(body, "app_id");
        String pushkey = string(body, "pushkey");
        if (appId.isEmpty() || appId.length() > MAX_APP_ID_CHARS) {
            throw MatrixException.invalidParam("app_id must be 1 to 64 characters long");
        }
        if (pushkey.isEmpty() || pushkey.getBytes(StandardCharsets.UTF_8).length > MAX_PUSHKEY_BYTES) {
            throw MatrixException.invalidParam("pushkey must be 1 to 512 bytes long");
        }
        JsonNode append = body.get("append");
        if (append != null && !append.isBoolean()) {
            throw MatrixException.invalidParam("append must be a boolean");
        }
        if (kind == null) {
            return new PusherSetRequest(null, appId, pushkey, null, null, null, null, null, false);
        }
        if (!kind.equals("http")) {
            throw MatrixException.invalidParam(kind.equals("email")
                    ? "Email pushers are not supported by this server"
                    : "Unknown pusher kind: " + kind);
        }
        if (!body.get("data").isObject()) {
            throw MatrixException.invalidParam("data must be an object");
        }
        ObjectNode data = (ObjectNode) body.get("data");
        checkHttpData(data);
        return new PusherSetRequest(kind, appId, pushkey, string(body, "app_display_name"),
                string(body, "device_display_name"), nullableString(body, "profile_tag"), string(body, "lang"),
                data.deepCopy(), append != null && append.booleanValue());
    }

    /**
     * An http pusher's data needs a {@code url} to the push gateway's notify endpoint: absolute,
     * https (or plain http, which mature servers also accept, for gateways on a private network),
     * with the path {@code /_matrix/push/v1/notify}. The only {@code format} is {@code event_id_only}.
     */
    private static void checkHttpData(ObjectNode data) {
        JsonNode url = data.get("url");
        if (url == null || url.isNull()) {
            throw MatrixException.missingParam("Missing parameters: data.url");
        }
        if (!url.isTextual()) {
            throw MatrixException.invalidParam("data.url must be a string");
        }
        URI uri;
        try {
            uri = new URI(url.textValue());
        } catch (URISyntaxException e) {
            throw MatrixException.invalidParam("data.url is not a URL: " + e.getMessage());
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("https") || scheme.equals("http")) || uri.getHost() == null) {
            throw MatrixException.invalidParam("data.url must be an https URL");
        }
        if (!NOTIFY_PATH.equals(uri.getPath())) {
            throw MatrixException.invalidParam("data.url must have the path " + NOTIFY_PATH);
        }
        JsonNode format = data.get("format");
        if (format != null && !(format.isTextual() && format.textValue().equals("event_id_only"))) {
            throw MatrixException.invalidParam("data.format must be event_id_only when given");
        }
    }

    private static String string(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        if (!node.isTextual()) {
            throw MatrixException.invalidParam(field + " must be a string");
        }
        return node.textValue();
    }

    private static String nullableString(ObjectNode body, String field) {
        JsonNode node = body.get(field);
        return node == null || node.isNull() ? null : string(body, field);
    }
}
