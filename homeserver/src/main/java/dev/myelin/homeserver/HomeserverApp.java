package dev.myelin.homeserver;

import dev.myelin.homeserver.api.client.AuthApi;
import dev.myelin.homeserver.api.client.ClientApi;
import dev.myelin.homeserver.api.client.DevicesApi;
import dev.myelin.homeserver.api.client.VersionsApi;
import dev.myelin.homeserver.config.HomeserverConfig;
import dev.myelin.homeserver.http.ApiRoutes;
import dev.myelin.homeserver.http.Cors;
import dev.myelin.homeserver.http.ErrorHandling;
import dev.myelin.homeserver.service.account.AccessTokens;
import dev.myelin.homeserver.service.account.AccountService;
import dev.myelin.homeserver.service.account.DeviceService;
import dev.myelin.homeserver.service.account.PasswordHasher;
import dev.myelin.homeserver.service.account.UserInteractiveAuth;
import dev.myelin.homeserver.storage.Database;
import dev.myelin.homeserver.storage.JdbcAccountStore;
import dev.myelin.homeserver.storage.JdbcDeviceStore;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.http.HttpRouting;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The composition root: configuration → storage → services → routing. Tests build the same
 * graph with their own settings.
 */
public final class HomeserverApp implements AutoCloseable {
    private final Database database;
    private final WebServer server;

    private HomeserverApp(Database database, WebServer server) {
        this.database = database;
        this.server = server;
    }

    public static HomeserverApp start(HomeserverConfig config) {
        createDataDir(config.dataDir());
        Database database = Database.open(config.databaseUrl(), config.databasePoolSize());
        try {
            AccessTokens tokens = new AccessTokens(new JdbcDeviceStore(database));
            List<ClientApi> apis = clientApis(config, database, tokens);
            HttpRouting.Builder routing = HttpRouting.builder();
            routing.addFilter(new Cors());
            ErrorHandling.register(routing);
            ApiRoutes routes = new ApiRoutes(routing, tokens, config.maxBodyBytes());
            apis.forEach(api -> api.register(routes));
            routes.finish();
            WebServer server = WebServer.builder()
                    .host(config.listen().host())
                    .port(config.listen().port())
                    .routing(routing)
                    .build()
                    .start();
            return new HomeserverApp(database, server);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    private static List<ClientApi> clientApis(HomeserverConfig config, Database database, AccessTokens tokens) {
        var accountStore = new JdbcAccountStore(database);
        var deviceStore = new JdbcDeviceStore(database);
        var uia = new UserInteractiveAuth();
        var accounts = new AccountService(config.serverName(), config.registration(), accountStore, deviceStore,
                tokens, new PasswordHasher(), uia);
        var devices = new DeviceService(deviceStore, tokens, accounts, uia);
        String baseUrl = "http://" + config.listen();
        return List.of(
                new VersionsApi(baseUrl),
                new AuthApi(accounts),
                new DevicesApi(devices));
    }

    private static void createDataDir(Path dataDir) {
        try {
            Files.createDirectories(dataDir);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot create data directory " + dataDir + ": " + e.getMessage(), e);
        }
    }

    public int port() {
        return server.port();
    }

    @Override
    public void close() {
        server.stop();
        database.close();
    }
}
