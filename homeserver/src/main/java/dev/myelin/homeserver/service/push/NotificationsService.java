package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.UserMemberships;
import dev.myelin.homeserver.storage.NotificationStore;
import dev.myelin.homeserver.storage.NotificationStore.EventNotification;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.List;
import java.util.Optional;

/**
 * {@code GET /notifications}: the events that notified the user, newest first, over the rooms
 * they are or were in, with the actions of the rule that matched and whether they read it.
 * The pagination token is the stream position of the last notification returned.
 */
public final class NotificationsService {
    private static final int DEFAULT_LIMIT = 20;
    private static final int MAX_LIMIT = 100;

    private final NotificationStore store;
    private final NotificationQueue queue;
    private final UnreadCounts counts;
    private final UserMemberships memberships;
    private final EventCache events;
    private final ClientEvents clientEvents;

    public NotificationsService(NotificationStore store, NotificationQueue queue, UnreadCounts counts,
                                UserMemberships memberships, EventCache events, ClientEvents clientEvents) {
        this.store = store;
        this.queue = queue;
        this.counts = counts;
        this.memberships = memberships;
        this.events = events;
        this.clientEvents = clientEvents;
    }

    public ObjectNode notifications(Requester requester, String from, long limit, boolean onlyHighlight) {
        long before = from == null ? Long.MAX_VALUE : token(from);
        if (limit < 1) {
            throw MatrixException.invalidParam("limit must be positive");
        }
        int wanted = (int) Math.min(limit, MAX_LIMIT);
        List<RoomId> rooms = memberships.of(requester.userId()).stream().map(MembershipRow::roomId).toList();
        queue.flush();
        ObjectNode body = Json.object();
        ArrayNode list = body.putArray("notifications");
        long last = 0;
        while (list.size() < wanted) {
            List<EventNotification> page = store.latestBefore(rooms, before, wanted * 2);
            for (EventNotification n : page) {
                before = n.stream();
                Integer index = n.users().get(requester.userId());
                if (index == null) {
                    continue;
                }
                var actions = NotificationActions.of(n.actions().get(index));
                Optional<StoredEvent> event = events.get(n.eventId());
                if ((onlyHighlight && !actions.highlight()) || event.isEmpty()) {
                    continue;
                }
                ObjectNode item = list.addObject();
                item.set("actions", actions.actions());
                item.set("event", clientEvents.format(event.get(), requester));
                item.put("read", counts.isRead(requester.userId(), n.roomId(), n.stream(), n.threadId()));
                item.put("room_id", n.roomId().value());
                item.put("ts", n.ts());
                last = n.stream();
                if (list.size() == wanted) {
                    break;
                }
            }
            if (page.size() < wanted * 2) {
                last = list.size() == wanted ? last : 0;
                break;
            }
        }
        if (last > 0 && list.size() == wanted) {
            body.put("next_token", Long.toString(last));
        }
        return body;
    }

    private static long token(String from) {
        try {
            long value = Long.parseLong(from);
            if (value < 0) {
                throw new NumberFormatException();
            }
            return value;
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Invalid from token");
        }
    }
}
