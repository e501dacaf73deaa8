package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.relations.RelationPages;
import dev.myelin.homeserver.service.relations.ThreadList;
import dev.myelin.homeserver.service.sync.SyncToken;
import dev.myelin.homeserver.storage.EventStore.Direction;

/** The events relating to an event ("Relationships between events") and a room's threads. */
public final class RelationsApi implements ClientApi {
    private static final String RELATIONS = "/_matrix/client/v1/rooms/{roomId}/relations/{eventId}";

    private final RelationPages pages;
    private final ThreadList threads;

    public RelationsApi(RelationPages pages, ThreadList threads) {
        this.pages = pages;
        this.threads = threads;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(RELATIONS, this::relations);
        routes.get(RELATIONS + "/{relType}", this::relations);
        routes.get(RELATIONS + "/{relType}/{eventType}", this::relations);
        routes.get("/_matrix/client/v1/rooms/{roomId}/threads", this::threads);
    }

    /** GET /_matrix/client/v1/rooms/{roomId}/threads */
    private Object threads(MatrixRequest request) {
        boolean participated = switch (request.query("include").orElse("all")) {
            case "all" -> false;
            case "participated" -> true;
            default -> throw MatrixException.invalidParam("include must be 'all' or 'participated'");
        };
        Long limit = request.hasQuery("limit") ? request.queryLong("limit", 0) : null;
        return threads.page(request.requester(), PathParams.roomId(request), participated, token(request, "from"),
                limit);
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
