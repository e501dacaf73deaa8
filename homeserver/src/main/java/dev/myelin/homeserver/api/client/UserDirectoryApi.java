package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.directory.UserDirectory;

/** The user directory: {@code POST /user_directory/search}. */
public final class UserDirectoryApi implements ClientApi {
    private final UserDirectory directory;

    public UserDirectoryApi(UserDirectory directory) {
        this.directory = directory;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.post(V3 + "/user_directory/search", this::search);
    }

    /** POST /_matrix/client/v3/user_directory/search */
    private Object search(MatrixRequest request) {
        var requester = request.requester();
        JsonNode term = request.body().get("search_term");
        if (term == null || term.isNull()) {
            throw MatrixException.missingParam("Missing search_term");
        }
        if (!term.isTextual()) {
            throw MatrixException.badJson("search_term must be a string");
        }
        JsonNode limit = request.body().get("limit");
        if (limit != null && !limit.isNull() && !limit.isIntegralNumber()) {
            throw MatrixException.badJson("limit must be an integer");
        }
        return directory.search(requester, term.asText(),
                limit == null || limit.isNull() ? null : limit.asLong());
    }
}
