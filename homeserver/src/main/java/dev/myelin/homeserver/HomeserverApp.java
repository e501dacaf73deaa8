package dev.myelin.homeserver;

import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.homeserver.api.client.AccountDataApi;
import dev.myelin.homeserver.api.client.AuthApi;
import dev.myelin.homeserver.api.client.CapabilitiesApi;
import dev.myelin.homeserver.api.client.ClientApi;
import dev.myelin.homeserver.api.client.DevicesApi;
import dev.myelin.homeserver.api.client.MembershipApi;
import dev.myelin.homeserver.api.client.MessagesApi;
import dev.myelin.homeserver.api.client.ProfileApi;
import dev.myelin.homeserver.api.client.NotificationsApi;
import dev.myelin.homeserver.api.client.PushRulesApi;
import dev.myelin.homeserver.api.client.RoomsApi;
import dev.myelin.homeserver.api.client.SyncApi;
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
import dev.myelin.homeserver.service.push.NotificationQueue;
import dev.myelin.homeserver.service.push.NotificationsService;
import dev.myelin.homeserver.service.push.PushDelivery;
import dev.myelin.homeserver.service.push.PushEvaluator;
import dev.myelin.homeserver.service.push.PushReadListener;
import dev.myelin.homeserver.service.push.PushRuleService;
import dev.myelin.homeserver.service.push.ReadListener;
import dev.myelin.homeserver.service.push.UnreadCounts;
import dev.myelin.homeserver.service.push.UnreadNotifications;
import dev.myelin.homeserver.service.account.AccountService;
import dev.myelin.homeserver.service.account.DeviceService;
import dev.myelin.homeserver.service.account.PasswordHasher;
import dev.myelin.homeserver.service.account.UserInteractiveAuth;
import dev.myelin.homeserver.service.room.ClientEvents;
import dev.myelin.homeserver.service.room.EventWriter;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.room.MembershipService;
import dev.myelin.homeserver.service.room.Pagination;
import dev.myelin.homeserver.service.room.ProfileService;
import dev.myelin.homeserver.service.room.RoomCreator;
import dev.myelin.homeserver.service.room.RoomEvents;
import dev.myelin.homeserver.service.room.RoomQueries;
import dev.myelin.homeserver.service.room.UserMemberships;
import dev.myelin.homeserver.service.room.Visibility;
import dev.myelin.homeserver.service.sync.FilterService;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.service.sync.RoomSync;
import dev.myelin.homeserver.service.sync.SyncService;
import dev.myelin.homeserver.storage.Database;
import dev.myelin.homeserver.storage.Dialect;
import dev.myelin.homeserver.storage.JdbcAccountDataStore;
import dev.myelin.homeserver.storage.JdbcAccountStore;
import dev.myelin.homeserver.storage.JdbcDeviceStore;
import dev.myelin.homeserver.storage.JdbcEventStore;
import dev.myelin.homeserver.storage.JdbcFilterStore;
import dev.myelin.homeserver.storage.JdbcNotificationStore;
import dev.myelin.homeserver.storage.JdbcRoomStateStore;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The composition root: configuration → storage → services → routing. Tests build the same
 * graph with their own settings.
 */
public final class HomeserverApp implements AutoCloseable {
    private final Database database;
    private final WebServer server;
    /** Services that tests reach directly and that close with the server, by type. */
    private final Map<Class<?>, Object> services;

    private HomeserverApp(Database database, WebServer server, Map<Class<?>, Object> services) {
        this.database = database;
        this.server = server;
        this.services = services;
    }

    public static HomeserverApp start(HomeserverConfig config) {
        createDataDir(config.dataDir());
        SigningKey signingKey = ServerKeys.loadOrGenerate(config.dataDir());
        Database database = Database.open(config.databaseUrl(), config.databasePoolSize());
        try {
            HttpRouting.Builder routing = HttpRouting.builder();
            routing.addFilter(new Cors());
            ErrorHandling.register(routing);
            AccessTokens tokens = new AccessTokens(new JdbcDeviceStore(database));
            ApiRoutes routes = new ApiRoutes(routing, tokens, config.maxBodyBytes());
            Map<Class<?>, Object> services = new LinkedHashMap<>();
            clientApis(config, database, tokens, signingKey, services).forEach(api -> api.register(routes));
            routes.finish();
            WebServer server = WebServer.builder()
                    .host(config.listen().host())
                    .port(config.listen().port())
                    .routing(routing)
                    .build()
                    .start();
            return new HomeserverApp(database, server, services);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static List<ClientApi> clientApis(HomeserverConfig config, Database database, AccessTokens tokens,
                                              SigningKey signingKey, Map<Class<?>, Object> services) {
        var accountStore = new JdbcAccountStore(database);
        var deviceStore = new JdbcDeviceStore(database);
        var eventStore = new JdbcEventStore(database);
        var roomStore = new JdbcRoomStateStore(database);
        var accountDataStore = new JdbcAccountDataStore(database);

        var streams = new Streams(eventStore.maxStream(), accountDataStore.maxStreamId(), eventStore.maxStateGroup());
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
        var unreadCounts = new UnreadCounts(notificationStore);
        var push = new PushEvaluator(pushRules, unreadCounts, notificationQueue, PushDelivery.NONE, userMemberships);
        services.put(NotificationQueue.class, notificationQueue);
        services.put(ReadListener.class, new PushReadListener(notificationStore, unreadCounts));
        services.put(EventCache.class, cache);
        var writer = new EventWriter(config.serverName(), signingKey, eventStore, cache, streams, notifier,
                userMemberships, push);
        var clientEvents = new ClientEvents(cache);
        var visibility = new Visibility(roomStore);

        var uia = new UserInteractiveAuth();
        var accounts = new AccountService(config.serverName(), config.registration(), accountStore, deviceStore,
                tokens, new PasswordHasher(), uia);
        var devices = new DeviceService(deviceStore, tokens, accounts, uia);
        var memberships = new MembershipService(config.serverName(), rooms, writer, roomStore, accountStore,
                userMemberships);
        var creator = new RoomCreator(config.serverName(), rooms, writer, roomStore, accountStore, memberships);
        var roomEvents = new RoomEvents(rooms, writer);
        var queries = new RoomQueries(rooms, roomStore, cache, clientEvents, visibility);
        var pagination = new Pagination(eventStore, cache, roomStore, clientEvents, visibility, streams);
        var roomSync = new RoomSync(rooms, eventStore, cache, roomStore, clientEvents,
                new UnreadNotifications(unreadCounts));
        var sync = new SyncService(streams, notifier, userMemberships, roomSync, accountData);
        var profiles = new ProfileService(accountStore, rooms, writer, userMemberships);

        // Busiest first: Helidon tries routes in registration order.
        return List.of(
                new SyncApi(sync, new FilterService(new JdbcFilterStore(database))),
                new RoomsApi(creator, roomEvents, queries),
                new MessagesApi(pagination),
                new MembershipApi(memberships),
                new VersionsApi("http://" + config.listen()),
                new AuthApi(accounts),
                new DevicesApi(devices),
                new CapabilitiesApi(),
                new ProfileApi(profiles),
                new AccountDataApi(accountData),
                new PushRulesApi(pushRules),
                new NotificationsApi(new NotificationsService(notificationStore, notificationQueue, unreadCounts,
                        userMemberships, cache, clientEvents)));
    }

    private static void createDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    /** A service of the running server, for tests that drive it directly. */
    public <T> T service(Class<T> type) {
        return type.cast(services.get(type));
    }

    @Override
    public void close() {
        server.stop();
        for (Object service : services.values()) {
            if (service instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close " + service, e);
                }
            }
        }
        database.close();
    }
}
