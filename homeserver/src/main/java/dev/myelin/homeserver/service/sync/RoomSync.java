package dev.myelin.homeserver.service.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.push.UnreadNotifications;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.storage.AccountDataStore.AccountData;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import dev.myelin.homeserver.storage.RoomStateStore;
import dev.myelin.homeserver.storage.StoredEvent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** The per-room sections of a sync response: joined, invited and left rooms. */
public final class RoomSync {
    private static final int DEFAULT_TIMELINE_LIMIT = 10;
    /** Most timeline events per room in one sync, as {@code /messages} caps its pages. */
    private static final int MAX_TIMELINE_LIMIT = 1000;
    private static final Set<String> INVITE_STATE_TYPES = Set.of("m.room.create", "m.room.join_rules",
            "m.room.name", "m.room.avatar", "m.room.canonical_alias", "m.room.encryption", "m.room.topic");

    private final LiveRooms rooms;
    private final EventStore events;
    private final EventCache cache;
    private final RoomStateStore roomStore;
    private final ClientEvents clientEvents;
    private final Visibility visibility;
    private final UnreadNotifications unread;

    public RoomSync(LiveRooms rooms, EventStore events, EventCache cache, RoomStateStore roomStore,
                    ClientEvents clientEvents, Visibility visibility, UnreadNotifications unread) {
        this.visibility = visibility;
        this.unread = unread;
        this.rooms = rooms;
        this.events = events;
        this.cache = cache;
        this.roomStore = roomStore;
        this.clientEvents = clientEvents;
    }

    /**
     * A joined room's section, or null when nothing changed in an incremental sync. The timeline
     * holds events after {@code since}; {@code full} sends the whole state before it.
     */
    ObjectNode joined(Requester requester, MembershipRow membership, SyncToken since, SyncToken now, boolean full,
                      SyncFilter filter, List<AccountData> accountData, ArrayNode ephemeral) {
        LiveRoom room = rooms.get(membership.roomId()).orElse(null);
        if (room == null) {
            return null;
        }
        Timeline timeline = visible(requester, membership,
                timeline(room, since.roomEvents(), now.roomEvents(), filter.timeline()));
        if (!full && timeline.events().isEmpty() && accountData.isEmpty() && ephemeral.isEmpty()) {
            return null;
        }
        ObjectNode section = Json.object();
        Map<StateKey, EventId> state = full
                ? stateBefore(room, timeline)
                : timeline.limited() ? stateDelta(room, since, timeline) : Map.of();
        if (!full && filter.state().lazyLoadMembers()) {
            state = withSenderMembers(room, state, timeline);
        }
        section.set("state", events(requester, filterState(state, timeline, requester.userId(), filter)));
        section.set("timeline", timelineNode(requester, timeline, now));
        section.putObject("ephemeral").set("events", ephemeral);
        unread.addTo(section, requester.userId(), room.roomId(), filter.unreadThreadNotifications());
        ArrayNode data = section.putObject("account_data").putArray("events");
        for (AccountData item : accountData) {
            if (filter.roomAccountData().matchesType(item.type())) {
                data.add(SyncService.accountDataEvent(item));
            }
        }
        if (full || timeline.events().stream().anyMatch(e -> e.pdu().type().equals("m.room.member"))) {
            // The summary only changes with membership; clients keep the last one they saw.
            section.set("summary", summary(room, requester.userId()));
        }
        return section;
    }

    /** Changes when unread counts drop without a new event, so cached responses are not reused. */
    long unreadVersion() {
        return unread.version();
    }

    /**
     * Whether the user was not joined at {@code since}: following their member events back from
     * the current one, the last one at or before the token is not a join (or there is none).
     */
    boolean joinedAfter(MembershipRow membership, SyncToken since) {
        Optional<StoredEvent> event = cache.get(membership.eventId());
        while (event.isPresent() && event.get().stream() > since.roomEvents()) {
            String previous = event.get().prevStateId();
            if (previous == null) {
                return true;
            }
            event = cache.get(EventId.of(previous));
        }
        return event.map(e -> !"join".equals(e.pdu().membership())).orElse(true);
    }

    /** An invited room's section: the invite and a stripped view of the room's state. */
    ObjectNode invited(MembershipRow membership) {
        ObjectNode section = Json.object();
        ArrayNode stateEvents = section.putObject("invite_state").putArray("events");
        LiveRoom room = rooms.get(membership.roomId()).orElse(null);
        if (room != null) {
            room.state().forEach((key, pdu) -> {
                if (INVITE_STATE_TYPES.contains(key.type())) {
                    stateEvents.add(ClientEvents.stripped(pdu));
                }
            });
        }
        cache.get(membership.eventId()).ifPresent(invite -> {
            if (room == null) {
                // An invite from another server carries the room's stripped state with it.
                invite.pdu().json().path("unsigned").path("invite_room_state").forEach(stripped -> {
                    if (stripped.isObject() && !stripped.path("type").asText("").equals("m.room.member")) {
                        stateEvents.add(stripped);
                    }
                });
            }
            // The inviter's member event too, so that clients can name who invited the user.
            Pdu inviter = room == null ? null : room.state("m.room.member", invite.pdu().sender().value());
            if (inviter != null && !inviter.stateKey().equals(invite.pdu().stateKey())) {
                stateEvents.add(ClientEvents.stripped(inviter));
            }
            stateEvents.add(ClientEvents.stripped(invite.pdu()));
        });
        return section;
    }

    /** A room the user left or was banned from: the timeline up to their departure. */
    ObjectNode left(Requester requester, MembershipRow membership, SyncToken since, SyncFilter filter,
                    List<AccountData> accountData) {
        ObjectNode section = Json.object();
        LiveRoom room = rooms.get(membership.roomId()).orElse(null);
        if (room == null) {
            return section;
        }
        Timeline timeline = visible(requester, membership,
                timeline(room, since.roomEvents(), membership.stream(), filter.timeline()));
        Map<StateKey, EventId> state = timeline.limited() ? stateDelta(room, since, timeline) : Map.of();
        section.set("state", events(requester, filterState(state, timeline, requester.userId(), filter)));
        section.set("timeline", timelineNode(requester, timeline, new SyncToken(membership.stream(), 0)));
        ArrayNode data = section.putObject("account_data").putArray("events");
        accountData.forEach(item -> data.add(SyncService.accountDataEvent(item)));
        return section;
    }

    private record Timeline(List<StoredEvent> events, boolean limited) {
    }

    /** The timeline without the events history visibility hides from the user (a late joiner's past). */
    private Timeline visible(Requester requester, MembershipRow membership, Timeline timeline) {
        List<StoredEvent> shown = visibility.visible(membership, requester.userId(), membership.roomId(),
                timeline.events());
        return shown == timeline.events() ? timeline : new Timeline(shown, timeline.limited());
    }

    /** The latest events in {@code (from, to]} that pass the filter, at most its limit. */
    private Timeline timeline(LiveRoom room, long from, long to, EventFilter filter) {
        int limit = Math.min(filter.limitOr(DEFAULT_TIMELINE_LIMIT), MAX_TIMELINE_LIMIT);
        // Memory usually holds enough of the latest events even when it does not reach back to
        // {@code from} (an initial sync of a long room): the store is asked only when it does not.
        LiveRoom.Recent recent = room.recentUpTo(to);
        List<StoredEvent> picked = new ArrayList<>();
        boolean reachedFrom = recent.complete();
        for (StoredEvent e : recent.newestFirst()) {
            if (e.stream() <= from) {
                reachedFrom = true;
                break;
            }
            if (filter.matches(e.pdu())) {
                picked.add(e);
                if (picked.size() > limit) {
                    break;
                }
            }
        }
        if (picked.size() <= limit && !reachedFrom) {
            picked = new ArrayList<>(events.roomEvents(room.roomId(), to, from, EventStore.Direction.BACKWARDS,
                    limit + 1, filter.query()));
        }
        boolean limited = picked.size() > limit;
        List<StoredEvent> chosen = new ArrayList<>(picked.subList(0, Math.min(limit, picked.size())));
        Collections.reverse(chosen);
        return new Timeline(chosen, limited);
    }

    /** The room state just before the timeline's first event (the current state if it is empty). */
    private Map<StateKey, EventId> stateBefore(LiveRoom room, Timeline timeline) {
        if (timeline.events().isEmpty()) {
            return room.stateIds();
        }
        StoredEvent first = timeline.events().get(0);
        Optional<Map<StateKey, EventId>> inMemory = room.stateIdsBefore(first.stream());
        if (inMemory.isPresent()) {
            return inMemory.get();
        }
        Map<StateKey, EventId> state = new HashMap<>(roomStore.stateOfGroup(first.stateGroup()));
        if (first.pdu().isState()) {
            StateKey key = new StateKey(first.pdu().type(), first.pdu().stateKey());
            if (first.prevStateId() != null) {
                state.put(key, EventId.of(first.prevStateId()));
            } else {
                state.remove(key);
            }
        }
        return state;
    }

    /** State that changed between {@code since} and the start of a limited timeline. */
    private Map<StateKey, EventId> stateDelta(LiveRoom room, SyncToken since, Timeline timeline) {
        Map<StateKey, EventId> before = stateBefore(room, timeline);
        List<StoredEvent> atSince = events.roomEvents(room.roomId(), since.roomEvents(), 0,
                EventStore.Direction.BACKWARDS, 1, EventStore.EventQuery.ALL);
        Map<StateKey, EventId> old = atSince.isEmpty() ? Map.of() : roomStore.stateOfGroup(atSince.get(0).stateGroup());
        Map<StateKey, EventId> delta = new HashMap<>();
        before.forEach((key, id) -> {
            if (!Objects.equals(old.get(key), id)) {
                delta.put(key, id);
            }
        });
        return delta;
    }

    /**
     * For lazy-loading clients, which were sent only the members of earlier timelines' senders:
     * the member events of this timeline's senders, unless the timeline itself holds them.
     */
    private static Map<StateKey, EventId> withSenderMembers(LiveRoom room, Map<StateKey, EventId> state,
                                                           Timeline timeline) {
        Set<EventId> inTimeline = new HashSet<>();
        timeline.events().forEach(e -> inTimeline.add(e.pdu().eventId()));
        Map<StateKey, EventId> result = new java.util.HashMap<>(state);
        for (StoredEvent event : timeline.events()) {
            StateKey key = new StateKey("m.room.member", event.pdu().sender().value());
            Pdu member = room.state().get(key);
            if (member != null && !result.containsKey(key) && !inTimeline.contains(member.eventId())) {
                result.put(key, member.eventId());
            }
        }
        return result;
    }

    /** Applies the state filter and lazy-loading of members (only the timeline's senders and the user). */
    private static Map<StateKey, EventId> filterState(Map<StateKey, EventId> state, Timeline timeline, UserId user,
                                                      SyncFilter filter) {
        if (!filter.state().lazyLoadMembers()) {
            return state;
        }
        Set<String> senders = new HashSet<>();
        senders.add(user.value());
        timeline.events().forEach(e -> senders.add(e.pdu().sender().value()));
        Map<StateKey, EventId> kept = new HashMap<>();
        state.forEach((key, id) -> {
            if (!key.type().equals("m.room.member") || senders.contains(key.stateKey())) {
                kept.put(key, id);
            }
        });
        return kept;
    }

    private ObjectNode events(Requester requester, Map<StateKey, EventId> state) {
        ObjectNode node = Json.object();
        ArrayNode list = node.putArray("events");
        cache.getAll(state.values()).forEach(e -> list.add(clientEvents.format(e, requester)));
        return node;
    }

    private ObjectNode timelineNode(Requester requester, Timeline timeline, SyncToken now) {
        ObjectNode node = Json.object();
        ArrayNode list = node.putArray("events");
        clientEvents.formatAll(timeline.events(), requester).forEach(list::add);
        node.put("limited", timeline.limited());
        long prev = timeline.events().isEmpty() ? now.roomEvents() : timeline.events().get(0).stream() - 1;
        node.put("prev_batch", now.withRoomEvents(prev).toString());
        return node;
    }

    private static ObjectNode summary(LiveRoom room, UserId user) {
        ObjectNode summary = Json.object();
        ArrayNode heroes = summary.putArray("m.heroes");
        room.joined().stream().filter(u -> !u.equals(user)).map(UserId::value).sorted().limit(5).forEach(heroes::add);
        summary.put("m.joined_member_count", room.joined().size());
        summary.put("m.invited_member_count", room.invited().size());
        return summary;
    }

}
