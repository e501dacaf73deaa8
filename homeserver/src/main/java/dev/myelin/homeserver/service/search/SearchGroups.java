package dev.myelin.homeserver.service.search;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.List;

/**
 * The {@code groups} of a search response: for each requested key ({@code room_id} or
 * {@code sender}), the page's results by value, ordered by where each value first appears.
 */
final class SearchGroups {
    private SearchGroups() {
    }

    static ObjectNode of(List<String> keys, List<StoredEvent> results) {
        ObjectNode groups = Json.object();
        for (String key : keys) {
            ObjectNode byValue = groups.putObject(key);
            for (StoredEvent event : results) {
                String value = key.equals("room_id") ? event.pdu().roomId().value() : event.pdu().sender().value();
                ObjectNode group = (ObjectNode) byValue.get(value);
                if (group == null) {
                    group = byValue.putObject(value);
                    group.put("order", byValue.size());
                    group.putArray("results");
                }
                group.withArray("results").add(event.pdu().eventId().value());
            }
        }
        return groups;
    }
}
