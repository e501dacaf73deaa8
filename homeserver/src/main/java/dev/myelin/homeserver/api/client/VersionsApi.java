package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;
import java.util.List;
import java.util.Map;

/** Discovery: the spec versions served and the client well-known document. */
public final class VersionsApi implements ClientApi {
    /** Spec versions whose Client-Server API this server serves. */
    static final List<String> VERSIONS = List.of("r0.6.1", "v1.1", "v1.2", "v1.3", "v1.4", "v1.5", "v1.6",
            "v1.7", "v1.8", "v1.9", "v1.10", "v1.11");

    private record Versions(List<String> versions, Map<String, Boolean> unstableFeatures) {
    }

    private record WellKnown(Map<String, String> mHomeserver) {
    }

    private final String publicBaseUrl;

    public VersionsApi(String publicBaseUrl) {
        this.publicBaseUrl = publicBaseUrl;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get("/_matrix/client/versions", request -> new Versions(VERSIONS, Map.of()));
        routes.get("/.well-known/matrix/client", request -> Map.of("m.homeserver", Map.of("base_url", publicBaseUrl)));
    }
}
