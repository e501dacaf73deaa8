package dev.myelin.homeserver.federation;

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
import java.util.concurrent.ConcurrentHashMap;

/**
 * The response schemas of the Server-Server API's OpenAPI document
 * ({@code shared/matrix-spec/server-server.json}), for checking what a server really answers.
 * The document is OpenAPI 3.1: each response schema is JSON Schema 2020-12, addressed by a JSON
 * pointer into the whole document (served to the validator from memory under a made-up URI).
 */
final class ServerServerSchemas {
    private static final String DOCUMENT_URI = "https://spec.myelin.test/server-server.json";
    private static final String SPEC_FILE = "shared/matrix-spec/server-server.json";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile ServerServerSchemas shared;

    private final JsonNode document;
    private final JsonSchemaFactory factory;
    private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().locale(Locale.ROOT).build();
    private final Map<String, JsonSchema> compiled = new ConcurrentHashMap<>();

    private ServerServerSchemas(String text) throws IOException {
        document = JSON.readTree(text);
        // Keywords the 2020-12 dialect doesn't know (example, x-*) are annotations, not errors.
        JsonMetaSchema dialect = JsonMetaSchema.builder(JsonMetaSchema.getV202012())
                .unknownKeywordFactory((keyword, context) -> new AnnotationKeyword(keyword))
                .build();
        factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012, builder -> builder
                .metaSchema(dialect)
                .schemaLoaders(loaders -> loaders.schemas(Map.of(DOCUMENT_URI, text))));
    }

    static ServerServerSchemas get() {
        ServerServerSchemas result = shared;
        if (result == null) {
            synchronized (ServerServerSchemas.class) {
                if (shared == null) {
                    Path file = locate();
                    try {
                        shared = new ServerServerSchemas(Files.readString(file));
                    } catch (IOException e) {
                        throw new UncheckedIOException(file.toString(), e);
                    }
                }
                result = shared;
            }
        }
        return result;
    }

    /** Whether the document gives a JSON schema for this response. */
    boolean documents(String pathTemplate, String method, int status) {
        return !responseSchema(pathTemplate, method, status).isMissingNode();
    }

    /**
     * The validation messages for a response body; empty when it is valid.
     *
     * @throws IllegalArgumentException when the document gives no JSON schema for that response
     */
    List<String> validate(String pathTemplate, String method, int status, JsonNode body) {
        String verb = method.toLowerCase(Locale.ROOT);
        if (!documents(pathTemplate, method, status)) {
            throw new IllegalArgumentException("server-server.json has no JSON schema for " + status + " of "
                    + verb + " " + pathTemplate);
        }
        JsonSchema schema = compiled.computeIfAbsent(pathTemplate + " " + verb + " " + status, key ->
                factory.getSchema(SchemaLocation.of(DOCUMENT_URI + "#/paths/" + escape(pathTemplate) + "/" + verb
                        + "/responses/" + status + "/content/" + escape("application/json") + "/schema"), config));
        List<String> messages = new ArrayList<>();
        for (ValidationMessage message : schema.validate(body)) {
            messages.add(verb.toUpperCase(Locale.ROOT) + " " + pathTemplate + " " + status + ": " + message.getMessage());
        }
        return messages;
    }

    private JsonNode responseSchema(String pathTemplate, String method, int status) {
        return document.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT)).path("responses")
                .path(Integer.toString(status)).path("content").path("application/json").path("schema");
    }

    private static String escape(String token) {
        return token.replace("~", "~0").replace("/", "~1");
    }

    private static Path locate() {
        List<Path> starts = new ArrayList<>();
        String root = System.getProperty("myelin.root");
        if (root != null && !root.isBlank()) {
            starts.add(Path.of(root));
        }
        starts.add(Path.of(System.getProperty("user.dir")));
        for (Path start : starts) {
            for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
                if (Files.isRegularFile(dir.resolve(SPEC_FILE))) {
                    return dir.resolve(SPEC_FILE);
                }
            }
        }
        throw new IllegalStateException("Cannot find " + SPEC_FILE + " above " + starts);
    }
}
