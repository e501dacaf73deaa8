package dev.myelin.homeserver.service.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.storage.FilterStore;

/** Uploaded sync filters, and the {@code filter} parameter of /sync (an ID or inline JSON). */
public final class FilterService {
    private final FilterStore store;

    public FilterService(FilterStore store) {
        this.store = store;
    }

    /** Validates and stores a filter, returning its ID. */
    public long create(UserId user, ObjectNode filter) {
        SyncFilter.parse(filter);
        return store.create(user, Json.writeString(filter));
    }

    public ObjectNode get(UserId user, String filterId) {
        return store.get(user, parseId(filterId)).map(Json::readObject)
                .orElseThrow(() -> MatrixException.notFound("No such filter"));
    }

    /** The filter named by /sync's parameter: absent, a stored filter's ID, or inline JSON. */
    public SyncFilter resolve(UserId user, String parameter) {
        if (parameter == null || parameter.isEmpty()) {
            return SyncFilter.DEFAULT;
        }
        if (parameter.startsWith("{")) {
            JsonNode inline;
            try {
                inline = Json.MAPPER.readTree(parameter);
            } catch (Exception e) {
                throw MatrixException.badJson("The filter parameter is not valid JSON");
            }
            return SyncFilter.parse(inline);
        }
        return SyncFilter.parse(get(user, parameter));
    }

    private static long parseId(String filterId) {
        try {
            return Long.parseLong(filterId);
        } catch (NumberFormatException e) {
            throw MatrixException.notFound("No such filter");
        }
    }
}
