package dev.myelin.homeserver.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The spec's default push rule set, for a user. */
public final class PushRules {
    private final String template;

    public PushRules() {
        try (InputStream in = PushRules.class.getResourceAsStream("/push/default_rules.json")) {
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The rule set with the user's places filled by a character no user ID, display name or
     * word holds (NUL): how the defaults decide for a user none of whose personal conditions
     * apply.
     */
    public ObjectNode template() {
        return Json.readObject(template.replace("{{user_id}}", "\\u0000").replace("{{localpart}}", "\\u0000"));
    }

    /** The user's rule set, in the {@code global} ruleset's kinds. */
    public ObjectNode forUser(UserId user) {
        return Json.readObject(template.replace("{{user_id}}", user.value())
                .replace("{{localpart}}", user.localpart()));
    }
}
