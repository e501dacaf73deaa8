package dev.myelin.homeserver.api.client;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.AccountDataService;
import dev.myelin.homeserver.service.PushRules;
import java.util.Map;

/** Account data (global and per room) and push rules. */
public final class AccountDataApi implements ClientApi {
    private final AccountDataService accountData;
    private final PushRules pushRules;

    public AccountDataApi(AccountDataService accountData, PushRules pushRules) {
        this.accountData = accountData;
        this.pushRules = pushRules;
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
        routes.get(V3 + "/pushrules/", request -> Map.of("global", pushRules.forUser(request.requester().userId())));
        routes.get(V3 + "/pushrules", request -> Map.of("global", pushRules.forUser(request.requester().userId())));
        routes.get(V3 + "/pushrules/global/", request -> pushRules.forUser(request.requester().userId()));
    }

    private static UserId own(MatrixRequest request) {
        UserId user = PathParams.userId(request);
        if (!user.equals(request.requester().userId())) {
            throw MatrixException.forbidden("Cannot access other users' account data");
        }
        return user;
    }

}
