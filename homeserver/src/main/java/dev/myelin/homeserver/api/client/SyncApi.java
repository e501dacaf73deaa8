package dev.myelin.homeserver.api.client;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import dev.myelin.homeserver.service.sync.FilterService;
import dev.myelin.homeserver.service.sync.SyncRequest;
import dev.myelin.homeserver.service.sync.SyncService;
import dev.myelin.homeserver.service.sync.SyncToken;
import java.util.Map;

/** {@code /sync} and the filters it uses. */
public final class SyncApi implements ClientApi {
    private final SyncService sync;
    private final FilterService filters;
    private final PresenceService presence;

    public SyncApi(SyncService sync, FilterService filters, PresenceService presence) {
        this.sync = sync;
        this.filters = filters;
        this.presence = presence;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/sync", this::sync);
        routes.post(V3 + "/user/{userId}/filter", request -> {
            UserId user = ownUser(request);
            return Map.of("filter_id", Long.toString(filters.create(user, request.body())));
        });
        routes.get(V3 + "/user/{userId}/filter/{filterId}", request ->
                filters.get(ownUser(request), request.pathParam("filterId")));
    }

    /** GET /_matrix/client/v3/sync */
    private Object sync(MatrixRequest request) {
        var requester = request.requester();
        SyncToken since = request.query("since").filter(s -> !s.isEmpty()).map(SyncToken::parse).orElse(null);
        var filter = filters.resolve(requester.userId(), request.query("filter").orElse(null));
        long timeout = request.queryLong("timeout", 0);
        boolean fullState = request.queryBoolean("full_state", false);
        boolean connected = presence.syncStarted(requester.userId(), request.query("set_presence").orElse(null));
        try {
            return sync.sync(requester, new SyncRequest(since, filter, fullState, timeout));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MatrixException(dev.myelin.homeserver.http.ErrCode.M_UNKNOWN, "Sync interrupted");
        } finally {
            if (connected) {
                presence.syncEnded(requester.userId());
            }
        }
    }

    private static UserId ownUser(MatrixRequest request) {
        UserId user = PathParams.userId(request);
        if (!user.equals(request.requester().userId())) {
            throw MatrixException.forbidden("Cannot use filters of other users");
        }
        return user;
    }

}
