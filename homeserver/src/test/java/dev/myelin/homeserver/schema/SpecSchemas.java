package dev.myelin.homeserver.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.AnnotationKeyword;
import com.networknt.schema.JsonMetaSchema;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Response schemas from the Matrix specification's bundled Client-Server OpenAPI document
 * ({@code shared/matrix-spec/client-server.json}), for checking what the server really sends.
 *
 * <p>The document is OpenAPI 3.1, so its schemas are JSON Schema 2020-12. Each response schema
 * is loaded by a JSON pointer into the whole document, so any {@code $ref} inside it resolves
 * against the document. The document is read once per JVM; compiled schemas are cached.
 */
public final class SpecSchemas {
    /** A made-up base URI under which the document is served to the validator from memory. */
    private static final String DOCUMENT_URI = "https://spec.myelin.test/client-server.json";
    private static final String SPEC_FILE = "shared/matrix-spec/client-server.json";
    private static final ObjectMapper JSON = new ObjectMapper();

    private static volatile SpecSchemas instance;

    private final JsonNode document;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config;
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    private SpecSchemas(String documentText) throws IOException {
        this.document = JSON.readTree(documentText);
        // JSON Schema 2020-12, where keywords it doesn't know (OpenAPI's "example", the spec's
        // "x-addedInMatrixVersion", the document's own "paths") are annotations, not warnings.
        JsonMetaSchema dialect = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                .build();
        this.factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(dialect)
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_URI, documentText))));
        this.config = SchemaValidatorsConfig.builder().locale(Locale.ROOT).build();
    }

    /** The shared instance, reading the specification document on first use. */
    public static SpecSchemas clientServer() {
        SpecSchemas result = instance;
        if (result == null) {
            synchronized (SpecSchemas.class) {
                result = instance;
                if (result == null) {
                    Path file = locateSpecFile();
                    try {
                        result = new SpecSchemas(Files.readString(file));
                    } catch (IOException e) {
                        throw new UncheckedIOException("Cannot read " + file, e);
                    }
                    instance = result;
                }
            }
        }
        return result;
    }

    /**
     * Validates a response body against the schema the specification gives for it.
     *
     * @param pathTemplate the path exactly as the document names it, e.g.
     *                     {@code /_matrix/client/v3/rooms/{roomId}/send/{eventType}/{txnId}}
     * @param method       the HTTP method, any case
     * @param status       the response status
     * @param body         the parsed response body
     * @return the validation messages; empty when the body is valid
     * @throws IllegalArgumentException when the document has no such path or method, or no JSON
     *                                  schema for that response
     */
    public List<String> validateResponse(String pathTemplate, String method, int status, JsonNode body) {
        String key = pathTemplate + " " + method.toLowerCase(Locale.ROOT) + " " + status;
        JsonSchema schema = compiled.computeIfAbsent(key, k -> compile(pathTemplate, method, status));
        List<String> messages = new ArrayList<>();
        for (ValidationMessage message : schema.validate(body)) {
            messages.add(method.toUpperCase(Locale.ROOT) + " " + pathTemplate + " " + status + ": "
                    + message.getMessage());
        }
        return messages;
    }

    /** The path templates the document describes, for callers that want to check coverage. */
    public List<String> pathTemplates() {
        List<String> paths = new ArrayList<>();
        document.path("paths").fieldNames().forEachRemaining(paths::add);
        return paths;
    }

    private JsonSchema compile(String pathTemplate, String method, int status) {
        String verb = method.toLowerCase(Locale.ROOT);
        JsonNode operation = document.path("paths").path(pathTemplate).path(verb);
        if (operation.isMissingNode()) {
            throw new IllegalArgumentException("The specification has no operation " + verb.toUpperCase(Locale.ROOT)
                    + " " + pathTemplate);
        }
        JsonNode responses = operation.path("responses");
        String statusKey = responses.has(Integer.toString(status)) ? Integer.toString(status)
                : responses.has(status / 100 + "XX") ? status / 100 + "XX"
                : responses.has("default") ? "default" : null;
        if (statusKey == null) {
            throw new IllegalArgumentException("The specification documents no status " + status + " for "
                    + verb.toUpperCase(Locale.ROOT) + " " + pathTemplate + " (it documents "
                    + fieldNames(responses) + ")");
        }
        if (responses.path(statusKey).path("content").path("application/json").path("schema").isMissingNode()) {
            throw new IllegalArgumentException("No JSON schema for status " + statusKey + " of "
                    + verb.toUpperCase(Locale.ROOT) + " " + pathTemplate);
        }
        String pointer = "/paths/" + escape(pathTemplate) + "/" + verb + "/responses/" + statusKey
                + "/content/" + escape("application/json") + "/schema";
        return factory.getSchema(SchemaLocation.of(DOCUMENT_URI + "#" + pointer), config);
    }

    /** Escapes one JSON pointer reference token (RFC 6901). */
    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    /**
     * Finds the specification file: from the checkout root (system property {@code myelin.root}) or
     * the working directory, walking up until a directory holds {@code shared/matrix-spec}. Worktrees
     * beside the main checkout thereby find the same shared copy.
     */
    static Path locateSpecFile() {
        List<Path> starts = new ArrayList<>();
        Optional.ofNullable(System.getProperty("myelin.root")).filter(s -> !s.isBlank()).map(Path::of)
                .ifPresent(starts::add);
        starts.add(Path.of(System.getProperty("user.dir")));
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(SPEC_FILE);
                if (Files.isRegularFile(candidate)) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("Cannot find " + SPEC_FILE + " above " + starts
                + " (set -Dmyelin.root to the checkout root)");
    }
}
