package dev.myelin.homeserver;

import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.keys.OldVerifyKey;
import dev.myelin.homeserver.api.client.ClientApi;
import dev.myelin.homeserver.api.federation.FederationApi;
import dev.myelin.homeserver.api.federation.KeyApi;
import dev.myelin.homeserver.api.federation.OriginAuthentication;
import dev.myelin.homeserver.config.HomeserverConfig;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.ServerKeys;
import dev.myelin.homeserver.service.directory.RoomAliases;
import dev.myelin.homeserver.service.directory.RoomDirectory;
import dev.myelin.homeserver.service.ephemeral.EphemeralListener;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import dev.myelin.homeserver.service.ephemeral.ReceiptService;
import dev.myelin.homeserver.service.ephemeral.ToDeviceMessages;
import dev.myelin.homeserver.service.ephemeral.TypingService;
import dev.myelin.homeserver.service.federation.Backfiller;
import dev.myelin.homeserver.service.federation.DestinationQueue;
import dev.myelin.homeserver.service.federation.EduReceiver;
import dev.myelin.homeserver.service.federation.FederatedRooms;
import dev.myelin.homeserver.service.federation.FederationQueries;
import dev.myelin.homeserver.service.federation.FederationSender;
import dev.myelin.homeserver.service.federation.FederationTransport;
import dev.myelin.homeserver.service.federation.InviteReceiver;
import dev.myelin.homeserver.service.federation.OutgoingEdus;
import dev.myelin.homeserver.service.federation.PduReceiver;
import dev.myelin.homeserver.service.federation.RemoteJoiner;
import dev.myelin.homeserver.service.federation.ResidentMembership;
import dev.myelin.homeserver.service.federation.RoomHistoryServer;
import dev.myelin.homeserver.service.federation.TransactionReceiver;
import dev.myelin.homeserver.service.room.EventWriter;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.Pagination;
import dev.myelin.homeserver.service.room.ReceivedEvents;
import dev.myelin.homeserver.service.room.RemoteEventWriter;
import dev.myelin.homeserver.service.room.RemoteRooms;
import dev.myelin.homeserver.service.room.RoomEventListener;
import dev.myelin.homeserver.service.room.ServerAcls;
import dev.myelin.homeserver.storage.AccountStore;
import dev.myelin.homeserver.storage.Database;
import dev.myelin.homeserver.storage.EventStore;
import dev.myelin.homeserver.storage.JdbcFederationOutbox;
import dev.myelin.homeserver.storage.JdbcReceivedTransactions;
import dev.myelin.homeserver.storage.RoomStateStore;
import java.time.Clock;
import java.util.List;

/**
 * The federation part of the composition root. It is built first, because the rest hands it
 * what this server writes: its outgoing PDUs, EDUs and to-device messages. It then builds, from
 * the rest, what other servers' requests reach: the receivers and the Server-Server API. With
 * federation disabled every hook is a no-op and no Server-Server API is served.
 */
final class FederationWiring {
    private final ServerName self;
    private final SigningKey signingKey;
    private final boolean enabled;
    private final FederationTransport transport;
    private final FederationSender sender;
    private final Clock clock;
    private PduReceiver pdus;

    private FederationWiring(ServerName self, SigningKey signingKey, boolean enabled, FederationTransport transport,
                             FederationSender sender, Clock clock) {
        this.self = self;
        this.signingKey = signingKey;
        this.enabled = enabled;
        this.transport = transport;
        this.sender = sender;
        this.clock = clock;
    }

    static FederationWiring create(HomeserverConfig config, ServerKeys.Loaded keys, Database database, Clock clock,
                                   List<AutoCloseable> background) {
        ServerName self = config.serverName();
        HomeserverConfig.Federation settings = config.federation();
        if (!settings.enabled()) {
            // No client, key ring, queues or their threads for a server that does not federate.
            return new FederationWiring(self, keys.current(), false, null, null, clock);
        }
        var transport = FederationTransport.create(self, keys.current(), keys.old().stream()
                        .map(k -> new OldVerifyKey(k.keyId(), k.publicKeyBase64(), k.expiredTs())).toList(),
                settings.verifyTls(), settings.addressPolicy(), settings.trustedKeyServers(), clock);
        background.add(transport);
        var outbox = new JdbcFederationOutbox(database);
        var sender = new FederationSender(self, outbox, destination -> new DestinationQueue(self, destination, outbox,
                transport.requests()::sendTransaction, DestinationQueue.Backoff.DEFAULT));
        background.add(sender);
        return new FederationWiring(self, keys.current(), true, transport, sender, clock);
    }

    RoomEventListener outgoingPdus() {
        return enabled ? sender : RoomEventListener.NONE;
    }

    EphemeralListener outgoingEdus() {
        return enabled ? new OutgoingEdus(self, sender) : EphemeralListener.NONE;
    }

    ToDeviceMessages.Outbound outgoingToDevice() {
        return enabled ? (destination, content) -> sender.sendEdu(List.of(destination), "m.direct_to_device", content)
                : ToDeviceMessages.Outbound.NONE;
    }

    RemoteRooms remoteRooms(RemoteEventWriter writer, ReceivedEvents received) {
        if (!enabled) {
            return RemoteRooms.NONE;
        }
        var joiner = new RemoteJoiner(self, signingKey, transport.requests(), transport.checks(), writer, received);
        return new FederatedRooms(self, signingKey, joiner, transport.requests(), transport.checks(), received);
    }

    /** The one receiver of other servers' PDUs, for transactions and backfill alike. */
    private PduReceiver pdus(LiveRooms rooms, RemoteEventWriter writer, ReceivedEvents received, EventCache cache,
                             ServerAcls acls) {
        if (pdus == null) {
            pdus = new PduReceiver(rooms, writer, received, transport.checks(), cache, transport.requests(), acls);
        }
        return pdus;
    }

    Pagination.Backfill backfill(LiveRooms rooms, EventStore events, EventCache cache, RemoteEventWriter writer,
                                 ReceivedEvents received, ServerAcls acls) {
        if (!enabled) {
            return Pagination.Backfill.NONE;
        }
        return new Backfiller(self, rooms, events, cache, transport.requests(), transport.checks(),
                pdus(rooms, writer, received, cache, acls), received);
    }

    /** What other servers' requests reach in the rest of the server. */
    record Resident(LiveRooms rooms, EventCache cache, RoomStateStore roomStore, AccountStore accounts,
                    EventWriter writer, RemoteEventWriter remoteWriter, ReceivedEvents received,
                    ServerAcls acls, TypingService typing, ReceiptService receipts, PresenceService presence,
                    ToDeviceMessages toDevice, RoomAliases aliases, RoomDirectory directory) {
    }

    /** The Server-Server API and the key server (none when disabled); starts sending what was queued. */
    List<ClientApi> apis(Resident r, Database database) {
        if (!enabled) {
            return List.of();
        }
        var history = new RoomHistoryServer(self, r.rooms(), r.cache(), r.roomStore(), r.acls());
        var edus = new EduReceiver(r.typing(), r.receipts(), r.presence(), r.acls(), r.toDevice());
        var api = new FederationApi(new OriginAuthentication(self, transport.keys(), clock, sender::heardFrom),
                new TransactionReceiver(pdus(r.rooms(), r.remoteWriter(), r.received(), r.cache(), r.acls()), edus,
                        new JdbcReceivedTransactions(database), sender),
                new ResidentMembership(self, r.rooms(), r.writer(), r.remoteWriter(), transport.checks(), history,
                        r.acls(), sender),
                new InviteReceiver(self, signingKey, transport.checks(), r.accounts(), r.rooms(), r.received(), r.acls()),
                history, new FederationQueries(self, r.accounts(), r.aliases(), r.directory()));
        sender.start();
        return List.of(api, new KeyApi(transport.keys()));
    }
}
