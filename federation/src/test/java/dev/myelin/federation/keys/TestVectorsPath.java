package dev.myelin.federation.keys;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds a file of {@code shared/matrix-spec/} beside the checkout, as {@code TestVectors} does. */
final class TestVectorsPath {
    private TestVectorsPath() {
    }

    static Path specFile(String name) {
        String root = System.getProperty("myelin.root");
        if (root != null && !root.isBlank()) {
            Path p = Path.of(root, "..", "shared", "matrix-spec", name).normalize();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path p = dir.resolve("shared").resolve("matrix-spec").resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IllegalStateException("shared/matrix-spec/" + name + " not found");
    }
}
