package dev.myelin.homeserver.service.push;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.service.push.rules.EventMemo;
import dev.myelin.homeserver.service.push.rules.PushActions;
import dev.myelin.homeserver.service.push.rules.PushContext;
import dev.myelin.homeserver.service.room.CommitHook;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.UserMemberships;
import dev.myelin.homeserver.storage.NotificationStore.EventNotification;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs every member's push rules on a new event: each joined member but the sender, and the
 * invitee of an invite. It works from the room's state in memory (members, display names, power
 * levels) and each user's compiled rules, so it costs no query. {@link #evaluate} runs before the
 * event is persisted; the returned {@link Outcome} is applied once it is committed, before its
 * stream position is published: the counts change, the notifications are queued for storage and
 * handed to the user's pushers.
 */
public final class PushEvaluator implements CommitHook {
    private static final Logger LOG = Logger.getLogger(PushEvaluator.class.getName());
    private final PushRuleService rules;
    private final UnreadCounts counts;
    private final NotificationQueue queue;
    private final PushDelivery delivery;
    private final UserMemberships memberships;

    private final ServerName self;

    /** {@code self}: only this server's users are evaluated (other servers push to their own). */
    public PushEvaluator(ServerName self, PushRuleService rules, UnreadCounts counts, NotificationQueue queue,
                         PushDelivery delivery, UserMemberships memberships) {
        this.self = self;
        this.rules = rules;
        this.counts = counts;
        this.queue = queue;
        this.delivery = delivery;
        this.memberships = memberships;
    }

    /** What the rules decided for one event, to apply once it is committed. */
    public final class Outcome {
        private final LiveRoom room;
        private final Pdu pdu;
        private final Map<UserId, PushActions> notified;

        private Outcome(LiveRoom room, Pdu pdu, Map<UserId, PushActions> notified) {
            this.room = room;
            this.pdu = pdu;
            this.notified = notified;
        }

        /**
         * Applies the outcome for the committed event. Never throws: the event is committed and
         * its position must be published whatever happens to its notifications.
         */
        public void committed(StoredEvent stored) {
            try {
                apply(stored);
            } catch (RuntimeException e) {
                LOG.log(Level.SEVERE, "could not apply push rules' outcome for " + pdu.eventId(), e);
            }
        }

        private void apply(StoredEvent stored) {
            RoomId roomId = room.roomId();
            String thread = threadOf(pdu);
            Map<UserId, Boolean> highlights = new HashMap<>();
            notified.forEach((user, actions) -> highlights.put(user, actions.highlight()));
            counts.add(roomId, stored.stream(), thread, pdu.sender(), highlights);
            if (notified.isEmpty()) {
                return;
            }
            List<String> distinct = new ArrayList<>();
            Map<UserId, Integer> users = new LinkedHashMap<>();
            Map<PushActions, Integer> indexes = new IdentityHashMap<>();
            notified.forEach((user, actions) -> users.put(user, indexes.computeIfAbsent(actions, a -> {
                distinct.add(Json.writeString(a.actions()));
                return distinct.size() - 1;
            })));
            queue.add(new EventNotification(stored.stream(), roomId, pdu.eventId(), pdu.sender(), thread,
                    System.currentTimeMillis(), List.copyOf(distinct), users));
            deliver(stored);
        }

        private void deliver(StoredEvent stored) {
            Pdu name = room.state("m.room.name", "");
            String roomName = name == null ? null : name.contentString("name");
            String senderName = displayName(room, pdu.sender());
            notified.forEach((user, actions) -> {
                if (!delivery.wants(user)) {
                    return;
                }
                List<RoomId> rooms = memberships.of(user).stream()
                        .filter(m -> m.membership().equals("join")).map(MembershipRow::roomId).toList();
                delivery.deliver(new PushNotification(user, stored, actions.tweaks().deepCopy(),
                        counts.total(user, rooms), roomName, senderName));
            });
        }
    }

    @Override
    public Consumer<StoredEvent> prepare(LiveRoom room, Pdu pdu) {
        return evaluate(room, pdu)::committed;
    }

    /**
     * Evaluates the rules of everyone the event may notify; the room's lock is held. A failure
     * here is logged and notifies no one rather than failing the send.
     */
    Outcome evaluate(LiveRoom room, Pdu pdu) {
        try {
            return evaluateAll(room, pdu);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not evaluate push rules for " + pdu.eventId(), e);
            return new Outcome(room, pdu, Map.of());
        }
    }

    private Outcome evaluateAll(LiveRoom room, Pdu pdu) {
        Set<UserId> joined = room.joined();
        List<UserId> audience = new ArrayList<>(joined.size() + 1);
        for (UserId user : joined) {
            if (!user.equals(pdu.sender()) && user.server().equals(self)) {
                audience.add(user);
            }
        }
        if ("invite".equals(pdu.membership())) {
            UserId invitee = UserId.of(pdu.stateKey());
            if (!joined.contains(invitee) && !invitee.equals(pdu.sender()) && invitee.server().equals(self)) {
                audience.add(invitee);
            }
        }
        Map<UserId, PushActions> notified = new LinkedHashMap<>();
        if (!audience.isEmpty()) {
            ObjectNode event = pdu.json();
            event.put("event_id", pdu.eventId().value());
            Pdu powerLevels = room.state("m.room.power_levels", "");
            long senderLevel = senderLevel(room, powerLevels, pdu.sender());
            JsonNode notificationLevels = powerLevels == null ? null : powerLevels.content("notifications");
            EventMemo memo = PushContext.newMemo();
            PersonalConditions personal = new PersonalConditions(pdu, event);
            PushActions generic = null;
            for (UserId user : audience) {
                String displayName = displayName(room, user);
                PushActions actions;
                if (rules.usesDefaults(user) && !personal.mayConcern(user, displayName)) {
                    if (generic == null) {
                        generic = rules.template().evaluate(new PushContext(event, joined.size(), null, senderLevel,
                                notificationLevels, memo));
                    }
                    actions = generic;
                } else {
                    actions = rules.compiled(user).evaluate(new PushContext(event, joined.size(), displayName,
                            senderLevel, notificationLevels, memo));
                }
                if (actions.notifies()) {
                    notified.put(user, actions);
                }
            }
        }
        return new Outcome(room, pdu, notified);
    }

    /** The thread an event belongs to: its root's event ID, or null for the main timeline. */
    static String threadOf(Pdu pdu) {
        JsonNode relation = pdu.content("m.relates_to");
        if (relation != null && "m.thread".equals(relation.path("rel_type").asText(null))
                && relation.path("event_id").isTextual()) {
            return relation.get("event_id").textValue();
        }
        return null;
    }

    private static String displayName(LiveRoom room, UserId user) {
        Pdu member = room.state("m.room.member", user.value());
        return member == null ? null : member.contentString("displayname");
    }

    /** The sender's power level: from the power levels, or 100 for the creator of a room without them. */
    private static long senderLevel(LiveRoom room, Pdu powerLevels, UserId sender) {
        if (powerLevels == null) {
            Pdu create = room.state("m.room.create", "");
            return create != null && create.sender().equals(sender) ? 100 : 0;
        }
        JsonNode users = powerLevels.content("users");
        JsonNode level = users == null ? null : users.get(sender.value());
        if (level == null) {
            level = powerLevels.content("users_default");
        }
        return level == null ? 0 : level.asLong(0);
    }
}
