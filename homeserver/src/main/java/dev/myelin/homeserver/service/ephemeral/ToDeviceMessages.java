package dev.myelin.homeserver.service.ephemeral;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.DeviceInbox;
import dev.myelin.homeserver.storage.DeviceStore;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Send-to-device messaging: {@code PUT /sendToDevice/{eventType}/{txnId}} stores a message per
 * target device of this server (all of a user's devices for {@code "*"}) and passes those for
 * other servers' users on as {@code m.direct_to_device} EDUs; received EDUs are stored alike.
 * A device gets its messages in {@code /sync}'s {@code to_device} until a later sync
 * acknowledges them.
 */
public final class ToDeviceMessages {
    /** How many messages one sync delivers; the rest follow in the next. */
    static final int PER_SYNC = 100;
    private static final int REMEMBERED_TRANSACTIONS = 10_000;

    /** Where messages for another server's users go: an {@code m.direct_to_device} EDU. */
    @FunctionalInterface
    public interface Outbound {
        Outbound NONE = (destination, content) -> {
        };

        void send(ServerName destination, ObjectNode eduContent);
    }

    /** A device's messages for one sync and the stream position they reach. */
    public record Batch(ArrayNode events, long upTo) {
    }

    private final ServerName self;
    private final DeviceInbox inbox;
    private final DeviceStore devices;
    private final Streams streams;
    private final Notifier notifier;
    private final Outbound outbound;
    /** Per device, the position up to which its messages are known dropped: syncs skip the delete. */
    private final java.util.concurrent.ConcurrentHashMap<String, Long> acknowledged =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final Set<String> seen = Collections.newSetFromMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > REMEMBERED_TRANSACTIONS;
        }
    });

    public ToDeviceMessages(ServerName self, DeviceInbox inbox, DeviceStore devices, Streams streams,
                            Notifier notifier, Outbound outbound) {
        this.self = self;
        this.inbox = inbox;
        this.devices = devices;
        this.streams = streams;
        this.notifier = notifier;
        this.outbound = outbound;
    }

    /** {@code PUT /sendToDevice/{eventType}/{txnId}}: idempotent per device and transaction ID. */
    public void send(Requester sender, String type, String txnId, JsonNode messages) {
        if (!messages.isObject()) {
            throw MatrixException.badJson("messages must be an object of user IDs");
        }
        if (!firstTime("c|" + sender.userId() + "|" + sender.deviceId() + "|" + txnId)) {
            return;
        }
        Map<ServerName, ObjectNode> remote = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> user : messages.properties()) {
            if (!UserId.isValid(user.getKey()) || !user.getValue().isObject()) {
                throw MatrixException.badJson("messages must map user IDs to objects of device IDs");
            }
            for (JsonNode content : user.getValue()) {
                if (!content.isObject()) {
                    throw MatrixException.badJson("each message's content must be an object");
                }
            }
            UserId target = UserId.of(user.getKey());
            if (target.server().equals(self)) {
                deliver(sender.userId(), type, target, user.getValue());
            } else {
                remote.computeIfAbsent(target.server(), s -> Json.object()).set(target.value(), user.getValue());
            }
        }
        remote.forEach((server, byUser) -> {
            ObjectNode content = Json.object();
            content.put("sender", sender.userId().value());
            content.put("type", type);
            content.put("message_id", sender.deviceId() + "-" + txnId);
            content.set("messages", byUser);
            outbound.send(server, content);
        });
    }

    /** An {@code m.direct_to_device} EDU from another server, for its own user's messages. */
    public void receive(ServerName origin, JsonNode content) {
        String senderText = content.path("sender").asText("");
        if (!UserId.isValid(senderText) || !UserId.of(senderText).server().equals(origin)
                || !content.path("type").isTextual() || !content.path("messages").isObject()) {
            return;
        }
        if (!firstTime("f|" + origin + "|" + content.path("message_id").asText(""))) {
            return;
        }
        for (Map.Entry<String, JsonNode> user : content.path("messages").properties()) {
            if (UserId.isValid(user.getKey()) && UserId.of(user.getKey()).server().equals(self)
                    && user.getValue().isObject()) {
                deliver(UserId.of(senderText), content.path("type").asText(), UserId.of(user.getKey()), user.getValue());
            }
        }
    }

    /** The device's messages after {@code since} (those up to {@code since} are acknowledged and dropped). */
    public Batch forSync(UserId user, String deviceId, long since, long upTo) {
        String device = user.value() + "|" + deviceId;
        if (since > 0 && since > acknowledged.getOrDefault(device, 0L)) {
            inbox.acknowledge(user, deviceId, since);
            acknowledged.merge(device, since, Math::max);
        }
        ArrayNode events = Json.MAPPER.createArrayNode();
        if (deviceId == null || upTo <= since) {
            return new Batch(events, upTo);
        }
        List<DeviceInbox.Message> pending = inbox.pending(user, deviceId, since, upTo, PER_SYNC);
        pending.forEach(m -> events.add(Json.readTree(m.json())));
        long reached = pending.size() == PER_SYNC ? pending.get(pending.size() - 1).streamId() : upTo;
        return new Batch(events, reached);
    }

    /** Stores one message per target device: the named ones, or all of the user's for {@code "*"}. */
    private void deliver(UserId sender, String type, UserId target, JsonNode byDevice) {
        Set<String> known = new HashSet<>();
        devices.devices(target).forEach(d -> known.add(d.deviceId()));
        List<String> targets = new ArrayList<>();
        Map<String, JsonNode> contents = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> device : byDevice.properties()) {
            if (!device.getValue().isObject()) {
                continue; // a message's content is an object; anything else from another server is dropped
            }
            if (device.getKey().equals("*")) {
                known.forEach(d -> contents.put(d, device.getValue()));
            } else if (known.contains(device.getKey())) {
                contents.put(device.getKey(), device.getValue());
            }
        }
        targets.addAll(contents.keySet());
        for (String device : targets) {
            ObjectNode event = Json.object();
            event.put("sender", sender.value());
            event.put("type", type);
            event.set("content", contents.get(device));
            String json = Json.writeString(event);
            streams.toDevice().write(position -> {
                inbox.add(List.of(new DeviceInbox.Message(position, target, device, json)));
                return null;
            });
        }
        if (!targets.isEmpty()) {
            notifier.notify(List.of(target));
        }
    }

    private boolean firstTime(String key) {
        synchronized (seen) {
            return seen.add(key);
        }
    }
}
