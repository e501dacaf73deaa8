package dev.myelin.homeserver.api.client;

import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixRequest;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.homeserver.service.push.PushRuleService;
import java.util.Map;

/** Push rules: the user's rulesets and the CRUD endpoints under {@code /pushrules/global/}. */
public final class PushRulesApi implements ClientApi {
    private static final String RULE = V3 + "/pushrules/global/{kind}/{ruleId}";

    private final PushRuleService rules;

    public PushRulesApi(PushRuleService rules) {
        this.rules = rules;
    }

    @Override
    public void register(ApiRoutes routes) {
        // GET /_matrix/client/v3/pushrules/
        routes.get(V3 + "/pushrules/", request -> Map.of("global", rules.ruleset(user(request))));
        routes.get(V3 + "/pushrules", request -> Map.of("global", rules.ruleset(user(request))));
        // GET /_matrix/client/v3/pushrules/global/
        routes.get(V3 + "/pushrules/global/", request -> rules.ruleset(user(request)));
        // GET|PUT|DELETE /_matrix/client/v3/pushrules/global/{kind}/{ruleId}
        routes.get(RULE, request -> rules.rule(user(request), kind(request), ruleId(request)));
        routes.put(RULE, request -> {
            rules.put(user(request), kind(request), ruleId(request), request.body(),
                    request.query("before").orElse(null), request.query("after").orElse(null));
            return Map.of();
        });
        routes.delete(RULE, request -> {
            rules.delete(user(request), kind(request), ruleId(request));
            return Map.of();
        });
        // GET|PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/enabled
        routes.get(RULE + "/enabled", request -> {
            ObjectNode out = Json.object();
            out.set("enabled", rules.rule(user(request), kind(request), ruleId(request)).path("enabled"));
            return out;
        });
        routes.put(RULE + "/enabled", request -> {
            rules.setEnabled(user(request), kind(request), ruleId(request), request.body().get("enabled"));
            return Map.of();
        });
        // GET|PUT /_matrix/client/v3/pushrules/global/{kind}/{ruleId}/actions
        routes.get(RULE + "/actions", request -> {
            ObjectNode out = Json.object();
            out.set("actions", rules.rule(user(request), kind(request), ruleId(request)).path("actions"));
            return out;
        });
        routes.put(RULE + "/actions", request -> {
            rules.setActions(user(request), kind(request), ruleId(request), request.body().get("actions"));
            return Map.of();
        });
    }

    private static UserId user(MatrixRequest request) {
        return request.requester().userId();
    }

    private static String kind(MatrixRequest request) {
        return request.pathParam("kind");
    }

    private static String ruleId(MatrixRequest request) {
        return request.pathParam("ruleId");
    }
}
