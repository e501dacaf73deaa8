package dev.myelin.homeserver.api.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixRequest;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.push.Pushers;
import dev.myelin.homeserver.storage.PusherStore.Pusher;
import java.util.List;
import java.util.Map;

/** The requester's pushers: where their notifications are sent. */
public final class PushersApi implements ClientApi {
    private record PusherView(String pushkey, String appId, String kind, String appDisplayName,
                              String deviceDisplayName, String profileTag, String lang, JsonNode data) {
        static PusherView of(Pusher p) {
            return new PusherView(p.pushkey(), p.appId(), p.kind(), p.appDisplayName(), p.deviceDisplayName(),
                    p.profileTag(), p.lang(), Json.readTree(p.data()));
        }
    }

    private record PusherList(List<PusherView> pushers) {
    }

    private final Pushers pushers;

    public PushersApi(Pushers pushers) {
        this.pushers = pushers;
    }

    @Override
    public void register(ApiRoutes routes) {
        routes.get(V3 + "/pushers", this::list);
        routes.post(V3 + "/pushers/set", this::set);
    }

    /** GET /_matrix/client/v3/pushers */
    private Object list(MatrixRequest request) {
        return new PusherList(pushers.of(request.requester().userId()).stream().map(PusherView::of).toList());
    }

    /** POST /_matrix/client/v3/pushers/set */
    private Object set(MatrixRequest request) {
        Requester requester = request.requester();
        PusherSetRequest set = PusherSetRequest.parse(request.body());
        if (set.deletes()) {
            pushers.delete(requester.userId(), set.appId(), set.pushkey());
        } else {
            pushers.set(new Pusher(requester.userId(), set.appId(), set.pushkey(), set.kind(), set.appDisplayName(),
                    set.deviceDisplayName(), set.profileTag(), set.lang(), Json.writeString(set.data()),
                    requester.deviceId(), System.currentTimeMillis()), set.append());
        }
        return Map.of();
    }
}
