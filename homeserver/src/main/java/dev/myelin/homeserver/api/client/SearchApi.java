package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.service.search.SearchService;

/** Server-side search: {@code POST /search}. */
public final class SearchApi implements ClientApi {
    private final SearchService search;

    public SearchApi(SearchService search) {
        this.search = search;
    }

    /** POST /_matrix/client/v3/search */
    @Override
    public void register(ApiRoutes routes) {
        routes.post(V3 + "/search", request -> search.search(request.requester(), request.body(),
                request.query("next_batch").orElse(null)));
    }
}
