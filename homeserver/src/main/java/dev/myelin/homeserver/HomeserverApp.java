package dev.myelin.homeserver;

import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.api.client.AccountDataApi;
import dev.myelin.homeserver.api.client.AuthApi;
import dev.myelin.homeserver.api.client.CapabilitiesApi;
import dev.myelin.homeserver.api.client.ClientApi;
import dev.myelin.homeserver.api.client.DevicesApi;
import dev.myelin.homeserver.api.client.MembershipApi;
import dev.myelin.homeserver.api.client.MessagesApi;
import dev.myelin.homeserver.api.client.NotificationsApi;
import dev.myelin.homeserver.api.client.PresenceApi;
import dev.myelin.homeserver.api.client.ProfileApi;
import dev.myelin.homeserver.api.client.PushRulesApi;
import dev.myelin.homeserver.api.client.PushersApi;
import dev.myelin.homeserver.api.client.ReceiptsApi;
import dev.myelin.homeserver.api.client.RelationsApi;
import dev.myelin.homeserver.api.client.RoomAliasesApi;
import dev.myelin.homeserver.api.client.RoomDirectoryApi;
import dev.myelin.homeserver.api.client.RoomUpgradeApi;
import dev.myelin.homeserver.api.client.RoomsApi;
import dev.myelin.homeserver.api.client.SearchApi;
import dev.myelin.homeserver.api.client.SyncApi;
import dev.myelin.homeserver.api.client.ToDeviceApi;
import dev.myelin.homeserver.api.client.TypingApi;
import dev.myelin.homeserver.api.client.UserDirectoryApi;
import dev.myelin.homeserver.api.client.VersionsApi;
import dev.myelin.homeserver.config.HomeserverConfig;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Cors;
import dev.myelin.homeserver.http.ErrorHandling;
import dev.myelin.homeserver.service.AccountDataService;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.PushRules;
import dev.myelin.homeserver.service.ServerKeys;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.account.AccessTokens;
import dev.myelin.homeserver.service.account.AccountService;
import dev.myelin.homeserver.service.account.CleanupDeviceStore;
import dev.myelin.homeserver.service.account.DeviceService;
import dev.myelin.homeserver.service.account.PasswordHasher;
import dev.myelin.homeserver.service.account.UserInteractiveAuth;
import dev.myelin.homeserver.service.directory.CanonicalAlias;
import dev.myelin.homeserver.service.directory.RoomAliases;
import dev.myelin.homeserver.service.directory.RoomDirectory;
import dev.myelin.homeserver.service.directory.UserDirectory;
import dev.myelin.homeserver.service.ephemeral.EphemeralListener;
import dev.myelin.homeserver.service.ephemeral.EphemeralTimers;
import dev.myelin.homeserver.service.ephemeral.PresenceService;
import dev.myelin.homeserver.service.ephemeral.ReceiptService;
import dev.myelin.homeserver.service.ephemeral.ToDeviceMessages;
import dev.myelin.homeserver.service.ephemeral.TypingService;
import dev.myelin.homeserver.service.ephemeral.UserActivity;
import dev.myelin.homeserver.service.push.NotificationQueue;
import dev.myelin.homeserver.service.push.NotificationsService;
import dev.myelin.homeserver.service.push.PushEvaluator;
import dev.myelin.homeserver.service.push.PushReadListener;
import dev.myelin.homeserver.service.push.PushRuleService;
import dev.myelin.homeserver.service.push.PushSettings;
import dev.myelin.homeserver.service.push.PusherService;
import dev.myelin.homeserver.service.push.Pushers;
import dev.myelin.homeserver.service.push.UnreadCounts;
import dev.myelin.homeserver.service.push.UnreadNotifications;
import dev.myelin.homeserver.service.relations.BundledAggregations;
import dev.myelin.homeserver.service.relations.RelationChecks;
import dev.myelin.homeserver.service.relations.RelationIndex;
import dev.myelin.homeserver.service.relations.RelationPages;
import dev.myelin.homeserver.service.relations.ThreadList;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.EventWriter;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.MembershipService;
import dev.myelin.homeserver.service.room.Pagination;
import dev.myelin.homeserver.service.room.ProfileService;
import dev.myelin.homeserver.service.room.ReceivedEvents;
import dev.myelin.homeserver.service.room.RedactionChecks;
import dev.myelin.homeserver.service.room.RemoteEventWriter;
import dev.myelin.homeserver.service.room.RoomCreator;
import dev.myelin.homeserver.service.room.RoomEventListener;
import dev.myelin.homeserver.service.room.RoomEvents;
import dev.myelin.homeserver.service.room.RoomQueries;
import dev.myelin.homeserver.service.room.RoomUpgrader;
import dev.myelin.homeserver.service.room.ServerAcls;
import dev.myelin.homeserver.service.room.StateResolution;
import dev.myelin.homeserver.service.room.UserMemberships;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.service.search.SearchService;
import dev.myelin.homeserver.service.sync.EphemeralSync;
import dev.myelin.homeserver.service.sync.FilterService;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.service.sync.RoomSync;
import dev.myelin.homeserver.service.sync.SyncService;
import dev.myelin.homeserver.storage.Database;
import dev.myelin.homeserver.storage.Dialect;
import dev.myelin.homeserver.storage.JdbcAccountDataStore;
import dev.myelin.homeserver.storage.JdbcAccountStore;
import dev.myelin.homeserver.storage.JdbcDeviceInbox;
import dev.myelin.homeserver.storage.JdbcDeviceStore;
import dev.myelin.homeserver.storage.JdbcEventStore;
import dev.myelin.homeserver.storage.JdbcFilterStore;
import dev.myelin.homeserver.storage.JdbcNotificationStore;
import dev.myelin.homeserver.storage.JdbcPresenceStore;
import dev.myelin.homeserver.storage.JdbcPusherStore;
import dev.myelin.homeserver.storage.JdbcReceiptStore;
import dev.myelin.homeserver.storage.JdbcRelationStore;
import dev.myelin.homeserver.storage.JdbcRoomDirectoryStore;
import dev.myelin.homeserver.storage.JdbcRoomStateStore;
import dev.myelin.homeserver.storage.JdbcSearchStore;
import dev.myelin.homeserver.storage.JdbcUserDirectoryStore;
import dev.myelin.homeserver.tls.FederationListener;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The composition root: configuration → storage → services → routing. Tests build the same
 * graph with their own settings.
 */
public final class HomeserverApp implements AutoCloseable {
    /** How often typing and presence timeouts are checked. */
    private static final Duration EPHEMERAL_TIMER_PERIOD = Duration.ofMillis(500);
    private final Database database;
    private final WebServer server;
    private final List<AutoCloseable> background;

    private HomeserverApp(Database database, WebServer server, List<AutoCloseable> background) {
        this.database = database;
        this.server = server;
        this.background = background;
    }

    public static HomeserverApp start(HomeserverConfig config) {
        return start(config, Clock.systemUTC());
    }

    /** Starts with the clock that typing and presence timeouts read (tests pass one they move). */
    public static HomeserverApp start(HomeserverConfig config, Clock clock) {
        createDataDir(config.dataDir());
        ServerKeys.Loaded signingKeys = ServerKeys.loadAll(config.dataDir());
        Database database = Database.open(config.databaseUrl(), config.databasePoolSize());
        List<AutoCloseable> background = new ArrayList<>();
        try {
            HttpRouting.Builder routing = HttpRouting.builder();
            routing.addFilter(new Cors());
            ErrorHandling.register(routing);
            AccessTokens tokens = new AccessTokens(new JdbcDeviceStore(database));
            ApiRoutes routes = new ApiRoutes(routing, tokens, config.maxBodyBytes());
            clientApis(config, database, tokens, signingKeys, clock, background).forEach(api -> api.register(routes));
            routes.finish();
            WebServerConfig.Builder builder = WebServer.builder()
                    .host(config.listen().host())
                    .port(config.listen().port())
                    .routing(routing);
            FederationListener.addTo(builder, config, routing);
            WebServer server = builder.build().start();
            return new HomeserverApp(database, server, background);
        } catch (RuntimeException e) {
            closeAll(background);
            database.close();
            throw e;
        }
    }

    private static List<ClientApi> clientApis(HomeserverConfig config, Database database, AccessTokens tokens,
                                              ServerKeys.Loaded signingKeys, Clock clock,
                                              List<AutoCloseable> background) {
        SigningKey signingKey = signingKeys.current();
        ServerName self = config.serverName();
        var federation = FederationWiring.create(config, signingKeys, database, clock, background);
        RoomEventListener outgoingPdus = federation.outgoingPdus();
        EphemeralListener outgoingEdus = federation.outgoingEdus();
        var accountStore = new JdbcAccountStore(database);
        var pushers = new Pushers(new JdbcPusherStore(database));
        var deviceInbox = new JdbcDeviceInbox(database);
        var deviceStore = new CleanupDeviceStore(new JdbcDeviceStore(database), List.of(pushers, deviceInbox));
        var eventStore = new JdbcEventStore(database);
        var roomStore = new JdbcRoomStateStore(database);
        var accountDataStore = new JdbcAccountDataStore(database);
        var receiptStore = new JdbcReceiptStore(database);
        var presenceStore = new JdbcPresenceStore(database);

        var streams = new Streams(eventStore.maxStream(), accountDataStore.maxStreamId(), eventStore.maxStateGroup(),
                receiptStore.maxStreamId(), presenceStore.maxStreamId(), deviceInbox.maxStreamId());
        var notifier = new Notifier();
        var cache = new EventCache(eventStore, 50_000);
        var userMemberships = new UserMemberships(roomStore);
        var rooms = new LiveRooms(roomStore, cache);
        var accountData = new AccountDataService(accountDataStore, streams, notifier);
        var pushRules = new PushRuleService(accountData, new PushRules());
        var notificationStore = new JdbcNotificationStore(database);
        // On SQLite the write waits for the event stream's lock instead of for the database's.
        var notificationQueue = new NotificationQueue(notificationStore,
                database.dialect() == Dialect.SQLITE ? streams.roomEvents()::exclusive : Runnable::run);
        background.add(notificationQueue);
        var unreadCounts = new UnreadCounts(notificationStore);
        var pushDelivery = new PusherService(pushers, PushSettings.DEFAULT);
        background.add(pushDelivery);
        var push = new PushEvaluator(self, pushRules, unreadCounts, notificationQueue, pushDelivery, userMemberships);
        var writer = new EventWriter(config.serverName(), signingKey, eventStore, cache, streams, notifier,
                userMemberships, push, outgoingPdus);
        var visibility = new Visibility(roomStore, rooms, cache);
        var relationStore = new JdbcRelationStore(database);
        var relationIndex = new RelationIndex(relationStore);
        var clientEvents = new ClientEvents(cache,
                new BundledAggregations(relationStore, relationIndex, cache, visibility));

        var uia = new UserInteractiveAuth();
        var accounts = new AccountService(config.serverName(), config.registration(), accountStore, deviceStore,
                tokens, new PasswordHasher(), uia);
        var devices = new DeviceService(deviceStore, tokens, accounts, uia);
        var resolution = StateResolution.v2(cache);
        var remoteWriter = new RemoteEventWriter(rooms, eventStore, roomStore, cache, streams, notifier,
                userMemberships, push, resolution);
        var received = new ReceivedEvents(eventStore, cache, streams, notifier, userMemberships);
        var remoteRooms = federation.remoteRooms(remoteWriter, received);
        var memberships = new MembershipService(config.serverName(), rooms, writer, roomStore, accountStore,
                userMemberships, remoteRooms);
        var acls = new ServerAcls(rooms);
        Pagination.Backfill backfill = federation.backfill(rooms, eventStore, cache, remoteWriter, received, acls);
        var roomDirectory = new RoomDirectory(config.serverName(), rooms, new JdbcRoomDirectoryStore(database));
        var creator = new RoomCreator(config.serverName(), rooms, writer, roomStore, accountStore, memberships,
                roomDirectory);
        var roomEvents = new RoomEvents(rooms, writer, new CanonicalAlias(config.serverName(), roomStore),
                new RedactionChecks(cache), new RelationChecks(relationStore, eventStore, relationIndex));
        var queries = new RoomQueries(rooms, roomStore, cache, clientEvents, visibility);
        var pagination = new Pagination(eventStore, cache, roomStore, clientEvents, visibility, streams,
                backfill);
        var roomSync = new RoomSync(rooms, eventStore, cache, roomStore, clientEvents, visibility,
                new UnreadNotifications(unreadCounts));
        var receipts = new ReceiptService(receiptStore, streams, notifier, rooms, cache, accountData,
                new PushReadListener(notificationStore, unreadCounts), clock, outgoingEdus);
        var typing = new TypingService(streams, notifier, rooms, clock, outgoingEdus);
        var presence = new PresenceService(presenceStore, streams, notifier, userMemberships, rooms, clock,
                outgoingEdus);
        background.add(new EphemeralTimers(EPHEMERAL_TIMER_PERIOD, List.of(typing::expire, presence::expire)));
        var toDevice = new ToDeviceMessages(self, deviceInbox, deviceStore, streams, notifier,
                federation.outgoingToDevice());
        var sync = new SyncService(streams, notifier, userMemberships, roomSync, accountData,
                new EphemeralSync(receipts, typing, presence), toDevice);
        var profiles = new ProfileService(self, accountStore, rooms, writer, userMemberships, remoteRooms);
        var roomAliases = new RoomAliases(config.serverName(), rooms, roomStore, writer, remoteRooms);

        List<ClientApi> apis = new ArrayList<>(federation.apis(new FederationWiring.Resident(rooms, cache, roomStore,
                accountStore, writer, remoteWriter, received, acls, typing, receipts, presence, toDevice,
                roomAliases, roomDirectory), database));
        // Busiest first: Helidon tries routes in registration order.
        apis.addAll(0, List.of(
                new SyncApi(sync, new FilterService(new JdbcFilterStore(database)), presence),
                new RoomsApi(creator, roomEvents, queries, new UserActivity(typing, presence)),
                new MessagesApi(pagination),
                new RelationsApi(new RelationPages(relationStore, cache, clientEvents, visibility, streams),
                        new ThreadList(relationStore, cache, clientEvents, visibility, streams)),
                new SearchApi(SearchService.create(new JdbcSearchStore(database), eventStore, roomStore, cache,
                        clientEvents, visibility, queries)),
                new MembershipApi(memberships),
                new VersionsApi("http://" + config.listen()),
                new AuthApi(accounts),
                new DevicesApi(devices),
                new CapabilitiesApi(),
                new ProfileApi(profiles),
                new AccountDataApi(accountData),
                new PushRulesApi(pushRules),
                new NotificationsApi(new NotificationsService(notificationStore, notificationQueue, unreadCounts,
                        userMemberships, cache, clientEvents)),
                new PushersApi(pushers),
                new RoomAliasesApi(roomAliases),
                new RoomDirectoryApi(roomDirectory),
                new UserDirectoryApi(new UserDirectory(new JdbcUserDirectoryStore(database))),
                new RoomUpgradeApi(new RoomUpgrader(rooms, creator, writer, roomStore, roomDirectory)),
                new ReceiptsApi(receipts, presence),
                new TypingApi(typing, presence),
                new PresenceApi(presence),
                new ToDeviceApi(toDevice)));
        return apis;
    }

    private static void createDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (AutoCloseable resource : resources) {
            try {
                resource.close();
            } catch (Exception e) {
                // closing anyway
            }
        }
    }

    public int port() {
        return server.port();
    }

    /** The bound port of the TLS federation listener, or -1 when federation is disabled. */
    public int federationPort() {
        return FederationListener.port(server);
    }

    @Override
    public void close() {
        server.stop();
        closeAll(background);
        database.close();
    }
}
