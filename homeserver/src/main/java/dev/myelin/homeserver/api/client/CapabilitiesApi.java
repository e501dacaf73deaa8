package dev.myelin.homeserver.api.client;

import dev.myelin.federation.event.RoomVersion;
import dev.myelin.homeserver.http.ApiRoutes;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /capabilities}: room versions and which account changes are allowed. */
public final class CapabilitiesApi implements ClientApi {
    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/capabilities", request -> {
            request.requester();
            Map<String, String> available = new LinkedHashMap<>();
            for (RoomVersion version : RoomVersion.values()) {
                if (version.supported()) {
                    available.put(version.id(), version.stable() ? "stable" : "unstable");
                }
            }
            Map<String, Object> capabilities = new LinkedHashMap<>();
            capabilities.put("m.room_versions", Map.of("default", RoomVersion.DEFAULT.id(), "available", available));
            capabilities.put("m.change_password", Map.of("enabled", false));
            capabilities.put("m.set_displayname", Map.of("enabled", true));
            capabilities.put("m.set_avatar_url", Map.of("enabled", true));
            capabilities.put("m.3pid_changes", Map.of("enabled", false));
            return Map.of("capabilities", capabilities);
        });
    }
}
