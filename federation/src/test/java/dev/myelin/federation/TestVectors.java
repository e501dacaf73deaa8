package dev.myelin.federation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.json.CanonicalJson;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Loads {@code shared/matrix-spec/test-vectors.json} from beside the checkout. */
public final class TestVectors {
    private static JsonNode vectors;

    private TestVectors() {
    }

    public static synchronized JsonNode get() {
        if (vectors == null) {
            try {
                vectors = CanonicalJson.mapper().readTree(Files.readAllBytes(locate()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return vectors;
    }

    static Path locate() {
        String root = System.getProperty("myelin.root");
        if (root != null && !root.isBlank()) {
            Path p = Path.of(root, "..", "shared", "matrix-spec", "test-vectors.json").normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve("matrix-spec").resolve("test-vectors.json");
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("shared/matrix-spec/test-vectors.json not found (myelin.root=" + root + ")");
    }
}
