package dev.myelin.homeserver.service.federation;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.service.ephemeral.EphemeralListener;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.storage.PresenceStore.Presence;
import dev.myelin.homeserver.storage.ReceiptStore.Receipt;
import java.util.Set;

/** This server's users' typing notices, public receipts and presence, sent as EDUs to the servers concerned. */
public final class OutgoingEdus implements EphemeralListener {
    private final ServerName self;
    private final FederationSender sender;

    public OutgoingEdus(ServerName self, FederationSender sender) {
        this.self = self;
        this.sender = sender;
    }

    @Override
    public void typing(LiveRoom room, UserId user, boolean typing) {
        if (!user.server().equals(self)) {
            return;
        }
        ObjectNode content = Json.object();
        content.put("room_id", room.roomId().value());
        content.put("user_id", user.value());
        content.put("typing", typing);
        sender.sendEdu(sender.servers(room.joined()), "m.typing", content);
    }

    @Override
    public void receipt(LiveRoom room, Receipt receipt) {
        if (!receipt.userId().server().equals(self)) {
            return;
        }
        ObjectNode content = Json.object();
        ObjectNode user = content.putObject(room.roomId().value()).putObject(receipt.type())
                .putObject(receipt.userId().value());
        user.putArray("event_ids").add(receipt.eventId().value());
        ObjectNode data = user.putObject("data");
        data.put("ts", receipt.ts());
        if (receipt.threadId() != null) {
            data.put("thread_id", receipt.threadId());
        }
        sender.sendEdu(sender.servers(room.joined()), "m.receipt", content);
    }

    @Override
    public void presence(Presence presence, Set<UserId> neighbours) {
        if (!presence.userId().server().equals(self)) {
            return;
        }
        ObjectNode content = Json.object();
        ObjectNode update = content.putArray("push").addObject();
        update.put("user_id", presence.userId().value());
        update.put("presence", presence.state());
        if (presence.statusMsg() != null) {
            update.put("status_msg", presence.statusMsg());
        }
        long ago = Math.max(0, System.currentTimeMillis() - presence.lastActiveTs());
        update.put("last_active_ago", ago);
        update.put("currently_active", presence.state().equals("online") && ago < 60_000);
        sender.sendEdu(sender.servers(neighbours), "m.presence", content);
    }
}
