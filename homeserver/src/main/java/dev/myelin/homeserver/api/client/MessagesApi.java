package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.room.Pagination;
import dev.myelin.homeserver.service.sync.EventFilter;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.storage.EventStore.Direction;

/** Room history: {@code /messages} and {@code /context}. */
public final class MessagesApi implements ClientApi {
    private final Pagination pagination;

    public MessagesApi(Pagination pagination) {
        this.pagination = pagination;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/rooms/{roomId}/messages", this::messages);
        routes.get(V3 + "/rooms/{roomId}/context/{eventId}", request -> pagination.context(request.requester(),
                PathParams.roomId(request), PathParams.eventId(request), (int) request.queryLong("limit", 10),
                filter(request)));
    }

    /** GET /_matrix/client/v3/rooms/{roomId}/messages */
    private Object messages(MatrixRequest request) {
        String dir = request.query("dir").orElse("b");
        Direction direction = switch (dir) {
            case "b" -> Direction.BACKWARDS;
            case "f" -> Direction.FORWARDS;
            default -> throw MatrixException.invalidParam("dir must be 'b' or 'f'");
        };
        SyncToken from = request.query("from").filter(s -> !s.isEmpty()).map(SyncToken::parse).orElse(null);
        SyncToken to = request.query("to").filter(s -> !s.isEmpty()).map(SyncToken::parse).orElse(null);
        return pagination.messages(request.requester(), PathParams.roomId(request), from, to, direction,
                (int) request.queryLong("limit", 10), filter(request));
    }

    private static EventFilter filter(MatrixRequest request) {
        return request.query("filter").filter(s -> !s.isEmpty()).map(text -> {
            try {
                return EventFilter.parse(Json.MAPPER.readTree(text));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw MatrixException.badJson("The filter parameter is not valid JSON");
            }
        }).orElse(EventFilter.NONE);
    }
}
