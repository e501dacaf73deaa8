package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;

/** One area of the Client-Server API; registers its endpoints. */
public interface ClientApi {
    String V3 = "/_matrix/client/v3";

    void register(ApiRoutes routes);
}
