package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.service.account.AccountService;
import dev.myelin.homeserver.service.account.AccountService.Session;
import java.util.List;
import java.util.Map;

/** Registration, login, logout and whoami. */
public final class AuthApi implements ClientApi {
    private record LoginFlow(String type) {
    }

    private record LoginFlows(List<LoginFlow> flows) {
    }

    private record SessionResponse(String userId, String accessToken, String deviceId, String homeServer) {
    }

    private record Whoami(String userId, String deviceId, boolean isGuest) {
    }

    private final AccountService accounts;

    public AuthApi(AccountService accounts) {
        this.accounts = accounts;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/login", request -> new LoginFlows(List.of(new LoginFlow("m.login.password"))));
        routes.post(V3 + "/login", this::login);
        routes.post(V3 + "/register", this::registerAccount);
        routes.get(V3 + "/register/available", this::available);
        routes.post(V3 + "/logout", request -> {
            accounts.logout(request.requester());
            return Map.of();
        });
        routes.post(V3 + "/logout/all", request -> {
            accounts.logoutAll(request.requester());
            return Map.of();
        });
        routes.get(V3 + "/account/whoami", request ->
                new Whoami(request.requester().userId().value(), request.requester().deviceId(), false));
    }

    /** POST /_matrix/client/v3/login */
    private Object login(MatrixRequest request) {
        return response(accounts.login(request.body(), request.remoteAddress()));
    }

    /** POST /_matrix/client/v3/register */
    private Object registerAccount(MatrixRequest request) {
        Session session = accounts.register(request.body(), request.query("kind").orElse(null), request.remoteAddress());
        return response(session);
    }

    /** GET /_matrix/client/v3/register/available */
    private Object available(MatrixRequest request) {
        String username = request.query("username")
                .orElseThrow(() -> dev.myelin.homeserver.http.MatrixException.missingParam("Missing username"));
        accounts.checkAvailable(username);
        return Map.of("available", true);
    }

    private static SessionResponse response(Session session) {
        return new SessionResponse(session.userId().value(), session.accessToken(), session.deviceId(),
                session.userId().server().value());
    }
}
