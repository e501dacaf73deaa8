package dev.myelin.homeserver.testing;

import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.function.Predicate;

/** Long-polls {@code /sync} until a response matches, for changes the server makes on its own (timeouts). */
public final class SyncAwait {
    private static final int MAX_POLLS = 20;

    private SyncAwait() {
    }

    /** The first incremental sync after {@code previous} that matches; fails after a bounded number of polls. */
    public static JsonNode until(TestUser user, JsonNode previous, Predicate<JsonNode> matches) {
        JsonNode last = previous;
        for (int i = 0; i < MAX_POLLS; i++) {
            JsonNode next = user.sync("timeout=5000&since=" + TestUser.enc(last.get("next_batch").asText()));
            if (matches.test(next)) {
                return next;
            }
            last = next;
        }
        return fail("no sync of " + user.id() + " matched; the last was " + last);
    }
}
