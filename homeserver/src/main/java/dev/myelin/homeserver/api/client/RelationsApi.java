package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.relations.RelationPages;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.storage.EventStore.Direction;

/** The events relating to an event ("Relationships between events"). */
public final class RelationsApi implements ClientApi {
    private static final String RELATIONS = "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}";

    private final RelationPages pages;

    public RelationsApi(RelationPages pages) {
        this.pages = pages;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(RELATIONS, this::relations);
        routes.get(RELATIONS + "/{relType}", this::relations);
        routes.get(RELATIONS + "/{relType}/{eventType}", this::relations);
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/relations/{eventId}[/{relType}[/{eventType}]] */
    private Object relations(MatrixRequest request) {
        Direction dir = switch (request.query("dir").orElse("b")) {
            case "b" -> Direction.BACKWARDS;
            case "f" -> Direction.FORWARDS;
            default -> throw MatrixException.invalidParam("dir must be 'b' or 'f'");
        };
        String recurse = request.query("recurse").orElse("false");
        if (!recurse.equals("true") && !recurse.equals("false")) {
            throw MatrixException.invalidParam("recurse must be 'true' or 'false'");
        }
        Long limit = request.hasQuery("limit") ? request.queryLong("limit", 0) : null;
        RelationPages.Query query = new RelationPages.Query(request.pathParam("relType"),
                request.pathParam("eventType"), token(request, "from"), token(request, "to"), dir, limit,
                recurse.equals("true"));
        return pages.page(request.requester(), PathParams.roomId(request), PathParams.eventId(request), query);
    }

    private static SyncToken token(MatrixRequest request, String name) {
        return request.query(name).filter(s -> !s.isEmpty()).map(SyncToken::parse).orElse(null);
    }
}
