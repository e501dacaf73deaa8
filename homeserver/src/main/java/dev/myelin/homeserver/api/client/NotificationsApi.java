package dev.myelin.homeserver.api.client;

import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.push.NotificationsService;

/** The events that notified the user. */
public final class NotificationsApi implements ClientApi {
    private final NotificationsService notifications;

    public NotificationsApi(NotificationsService notifications) {
        this.notifications = notifications;
    }

    @Override
    public void register(ApiRoutes routes) {
        // GET /_matrix/client/v3/notifications
        routes.get(V3 + "/notifications", request -> {
            String only = request.query("only").orElse(null);
            if (only != null && !only.equals("highlight")) {
                throw MatrixException.invalidParam("only must be 'highlight'");
            }
            return notifications.notifications(request.requester(), request.query("from").orElse(null),
                    request.queryLong("limit", 20), only != null);
        });
    }
}
