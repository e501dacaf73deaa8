package dev.myelin.homeserver.service.sync;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.AccountDataService;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.ephemeral.ToDeviceMessages;
import dev.myelin.homeserver.service.room.UserMemberships;
import dev.myelin.homeserver.storage.AccountDataStore.AccountData;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /sync}: everything that concerns the user after a token, or a wait for it. An
 * incremental sync with nothing new parks on the {@link Notifier} until something that concerns
 * the user happens or the timeout passes.
 */
public final class SyncService {
    /** Longest wait a client may ask for. */
    private static final long MAX_TIMEOUT_MS = 5 * 60 * 1000;

    private final Streams streams;
    private final Notifier notifier;
    private final UserMemberships memberships;
    private final RoomSync roomSync;
    private final AccountDataService accountData;
    private final EphemeralSync ephemeral;
    private final SyncResponses responses = new SyncResponses();
    private final ToDeviceMessages toDevice;

    public SyncService(Streams streams, Notifier notifier, UserMemberships memberships, RoomSync roomSync,
                       AccountDataService accountData, EphemeralSync ephemeral, ToDeviceMessages toDevice) {
        this.toDevice = toDevice;
        this.streams = streams;
        this.notifier = notifier;
        this.memberships = memberships;
        this.roomSync = roomSync;
        this.accountData = accountData;
        this.ephemeral = ephemeral;
    }

    /** The response as JSON bytes, ready to send. */
    public byte[] sync(Requester requester, SyncRequest request) throws InterruptedException {
        long deadline = System.currentTimeMillis() + Math.min(Math.max(0, request.timeoutMs()), MAX_TIMEOUT_MS);
        while (true) {
            long seen = notifier.version(requester.userId());
            SyncToken now = SyncToken.current(streams);
            Result result = responses.get(new SyncResponses.Key(requester.userId(), requester.deviceId(), request, now,
                            roomSync.unreadVersion()),
                    () -> build(requester, request, now));
            long remaining = deadline - System.currentTimeMillis();
            if (request.since() == null || request.fullState() || !result.empty() || remaining <= 0) {
                return result.bytes();
            }
            notifier.await(requester.userId(), seen, remaining);
        }
    }

    /** A computed response; its bytes are shared by identical concurrent requests. */
    record Result(byte[] bytes, boolean empty) {
    }

    private Result build(Requester requester, SyncRequest request, SyncToken now) {
        SyncToken since = request.since() == null ? SyncToken.START : request.since();
        boolean initial = request.since() == null || request.fullState();
        ObjectNode body = Json.object();
        ToDeviceMessages.Batch messages = toDevice.forSync(requester.userId(), requester.deviceId(), since.toDevice(),
                now.toDevice());
        body.put("next_batch", now.withToDevice(messages.upTo()).toString());
        ObjectNode rooms = body.putObject("rooms");
        ObjectNode join = rooms.putObject("join");
        ObjectNode invite = rooms.putObject("invite");
        ObjectNode leave = rooms.putObject("leave");
        rooms.putObject("knock");
        boolean empty = true;

        Map<RoomId, List<AccountData>> roomAccountData = new HashMap<>();
        ArrayNode globalAccountData = Json.MAPPER.createArrayNode();
        for (AccountData data : accountData.changed(requester.userId(), since.accountData(), now.accountData())) {
            if (data.roomId() == null) {
                if (request.filter().accountData().matchesType(data.type())) {
                    globalAccountData.add(accountDataEvent(data));
                }
            } else {
                roomAccountData.computeIfAbsent(data.roomId(), r -> new ArrayList<>()).add(data);
            }
        }
        empty &= globalAccountData.isEmpty();

        for (MembershipRow membership : memberships.of(requester.userId())) {
            if (membership.stream() > now.roomEvents() || !request.filter().rooms().allowsRoom(membership.roomId())) {
                continue;
            }
            boolean changedSince = membership.stream() > since.roomEvents();
            List<AccountData> roomData = roomAccountData.getOrDefault(membership.roomId(), List.of());
            String roomKey = membership.roomId().value();
            switch (membership.membership()) {
                case "join" -> {
                    // A room joined since the token starts afresh; full_state keeps the timeline since the token.
                    // A newer member event alone (a profile change) does not make the room new.
                    boolean newlyJoined = changedSince && request.since() != null
                            && roomSync.joinedAfter(membership, since);
                    SyncToken roomSince = newlyJoined ? SyncToken.START : since;
                    ArrayNode ephemeralEvents = ephemeral.room(requester.userId(), membership.roomId(), roomSince, now,
                            request.filter().ephemeral());
                    ObjectNode section = roomSync.joined(requester, membership, roomSince, now, initial || newlyJoined,
                            request.filter(), roomData, ephemeralEvents);
                    if (section != null) {
                        join.set(roomKey, section);
                        empty = false;
                    }
                }
                case "invite" -> {
                    if (initial || changedSince) {
                        invite.set(roomKey, roomSync.invited(membership));
                        empty = false;
                    }
                }
                case "leave", "ban" -> {
                    boolean wanted = request.since() != null ? changedSince : request.filter().includeLeave();
                    if (wanted) {
                        leave.set(roomKey, roomSync.left(requester, membership, since, request.filter(), roomData));
                        empty = false;
                    }
                }
                default -> {
                    // knock: not offered by this server's rooms yet
                }
            }
        }
        body.putObject("account_data").set("events", globalAccountData);
        ArrayNode presence = ephemeral.presence(requester.userId(), since, now, request.filter().presence());
        body.putObject("presence").set("events", presence);
        empty &= presence.isEmpty();
        body.putObject("to_device").set("events", messages.events());
        empty &= messages.events().isEmpty();
        ObjectNode deviceLists = body.putObject("device_lists");
        deviceLists.putArray("changed");
        deviceLists.putArray("left");
        body.putObject("device_one_time_keys_count");
        body.putArray("device_unused_fallback_key_types");
        return new Result(Json.write(body), empty);
    }

    static ObjectNode accountDataEvent(AccountData data) {
        ObjectNode event = Json.object();
        event.put("type", data.type());
        event.set("content", Json.readObject(data.content()));
        return event;
    }
}
