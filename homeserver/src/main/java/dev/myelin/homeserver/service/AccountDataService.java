package dev.myelin.homeserver.service;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.AccountDataStore;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Account data, global and per room, on its own sync stream. */
public final class AccountDataService {
    private final AccountDataStore store;
    private final Streams streams;
    private final Notifier notifier;

    public AccountDataService(AccountDataStore store, Streams streams, Notifier notifier) {
        this.store = store;
        this.streams = streams;
        this.notifier = notifier;
    }

    public void put(UserId user, RoomId roomId, String type, ObjectNode content) {
        if (type.isEmpty() || type.length() > 255) {
            throw MatrixException.invalidParam("Invalid account data type");
        }
        if (type.equals("m.fully_read") || type.equals("m.push_rules")) {
            // The spec's answer for account data the server controls: 405 with M_BAD_JSON.
            throw new MatrixException(ErrCode.M_BAD_JSON, 405, "Cannot set " + type + " through this API.", Map.of());
        }
        write(user, roomId, type, content);
    }

    /**
     * Sets account data that the server manages itself ({@code m.push_rules}), which clients
     * change only through dedicated endpoints.
     */
    public void putServerManaged(UserId user, String type, ObjectNode content) {
        write(user, null, type, content);
    }

    private void write(UserId user, RoomId roomId, String type, ObjectNode content) {
        String json = Json.writeString(content);
        streams.accountData().write(position -> {
            store.put(user, roomId, type, json, position);
            return null;
        });
        notifier.notify(List.of(user));
    }

    /** Moves the user's read marker in a room: the {@code m.fully_read} room account data. */
    public void putFullyRead(UserId user, RoomId roomId, EventId eventId) {
        write(user, roomId, "m.fully_read", Json.object().put("event_id", eventId.value()));
    }

    /** The account data of this type, if set. */
    public Optional<ObjectNode> find(UserId user, RoomId roomId, String type) {
        return store.get(user, roomId, type).map(Json::readObject);
    }

    public ObjectNode get(UserId user, RoomId roomId, String type) {
        return find(user, roomId, type).orElseThrow(() -> MatrixException.notFound("Account data not found"));
    }

    /** Account data changed after the position, up to and including {@code upTo}. */
    public List<AccountDataStore.AccountData> changed(UserId user, long since, long upTo) {
        if (since >= upTo) {
            return List.of();
        }
        return store.changedSince(user, since).stream().filter(d -> d.streamId() <= upTo).toList();
    }
}
