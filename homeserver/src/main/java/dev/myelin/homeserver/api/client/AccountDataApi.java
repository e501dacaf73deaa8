package dev.myelin.homeserver.api.client;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.AccountDataService;
import java.util.Map;

/** Account data, global and per room. */
public final class AccountDataApi implements ClientApi {
    private final AccountDataService accountData;

    public AccountDataApi(AccountDataService accountData) {
        this.accountData = accountData;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.put(V3 + "/user/{userId}/account_data/{type}", request -> {
            accountData.put(own(request), null, request.pathParam("type"), request.body());
            return Map.of();
        });
        routes.get(V3 + "/user/{userId}/account_data/{type}", request ->
                accountData.get(own(request), null, request.pathParam("type")));
        routes.put(V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", request -> {
            accountData.put(own(request), PathParams.roomId(request), request.pathParam("type"), request.body());
            return Map.of();
        });
        routes.get(V3 + "/user/{userId}/rooms/{roomId}/account_data/{type}", request ->
                accountData.get(own(request), PathParams.roomId(request), request.pathParam("type")));
    }

    private static UserId own(MatrixRequest request) {
        UserId user = PathParams.userId(request);
        if (!user.equals(request.requester().userId())) {
            throw MatrixException.forbidden("Cannot access other users' account data");
        }
        return user;
    }

}
