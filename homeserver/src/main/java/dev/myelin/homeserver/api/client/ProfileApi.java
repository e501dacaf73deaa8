package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.room.ProfileService;
import dev.myelin.homeserver.storage.AccountStore.Profile;
import java.util.LinkedHashMap;
import java.util.Map;

/** Profiles: display name and avatar URL. */
public final class ProfileApi implements ClientApi {
    private final ProfileService profiles;

    public ProfileApi(ProfileService profiles) {
        this.profiles = profiles;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/profile/{userId}", request -> {
            Profile profile = profiles.profile(PathParams.userId(request));
            Map<String, String> body = new LinkedHashMap<>();
            if (profile.displayname() != null) {
                body.put("displayname", profile.displayname());
            }
            if (profile.avatarUrl() != null) {
                body.put("avatar_url", profile.avatarUrl());
            }
            return body;
        });
        routes.get(V3 + "/profile/{userId}/displayname", request -> field("displayname",
                profiles.profile(PathParams.userId(request)).displayname()));
        routes.get(V3 + "/profile/{userId}/avatar_url", request -> field("avatar_url",
                profiles.profile(PathParams.userId(request)).avatarUrl()));
        routes.put(V3 + "/profile/{userId}/displayname", request -> {
            own(request);
            profiles.setDisplayname(request.requester(), text(request, "displayname"));
            return Map.of();
        });
        routes.put(V3 + "/profile/{userId}/avatar_url", request -> {
            own(request);
            profiles.setAvatarUrl(request.requester(), text(request, "avatar_url"));
            return Map.of();
        });
    }

    private static Map<String, String> field(String name, String value) {
        if (value == null) {
            throw MatrixException.notFound("Profile field not set");
        }
        return Map.of(name, value);
    }

    private static void own(MatrixRequest request) {
        UserId user = PathParams.userId(request);
        if (!user.equals(request.requester().userId())) {
            throw MatrixException.forbidden("Cannot change another user's profile");
        }
    }

    private static String text(MatrixRequest request, String field) {
        JsonNode node = request.body().get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw MatrixException.badJson(field + " must be a string");
        }
        return node.asText();
    }
}
