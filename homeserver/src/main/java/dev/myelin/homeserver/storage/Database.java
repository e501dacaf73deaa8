package dev.myelin.homeserver.storage;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.dbclient.DbClient;
import io.helidon.dbclient.DbExecute;
import io.helidon.dbclient.DbTransaction;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The database: a Helidon DbClient over a Hikari pool, its dialect, and named transactions.
 * SQLite runs in WAL mode with immediate write transactions, so concurrent writers queue on the
 * busy timeout instead of failing.
 */
public final class Database implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(Database.class.getName());

    private final DbClient client;
    private final Dialect dialect;

    private Database(DbClient client, Dialect dialect) {
        this.client = client;
        this.dialect = dialect;
    }

    /** Opens the database at a JDBC URL and applies pending migrations. */
    public static Database open(String jdbcUrl, int poolSize) {
        Dialect dialect = Dialect.of(jdbcUrl);
        Map<String, String> settings = new HashMap<>();
        settings.put("source", "jdbc");
        settings.put("connection.url", dialect == Dialect.SQLITE ? sqliteUrl(jdbcUrl) : jdbcUrl);
        settings.put("connection.maximumPoolSize", Integer.toString(poolSize));
        settings.put("connection.minimumIdle", Integer.toString(Math.min(2, poolSize)));
        settings.put("connection.connectionTimeout", "10000");
        settings.put("connection.poolName", "myelin-" + dialect.directory());
        Config config = Config.builder()
                .disableEnvironmentVariablesSource()
                .disableSystemPropertiesSource()
                .sources(ConfigSources.create(settings))
                .build();
        DbClient client = DbClient.create(config);
        Database database = new Database(client, dialect);
        new Migrations(database).apply();
        return database;
    }

    private static String sqliteUrl(String jdbcUrl) {
        String file = jdbcUrl.substring("jdbc:sqlite:".length());
        int query = file.indexOf('?');
        String path = query < 0 ? file : file.substring(0, query);
        if (!path.isEmpty() && !path.startsWith(":memory:") && !path.startsWith("file:")) {
            try {
                Path parent = Path.of(path).toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
            } catch (java.io.IOException e) {
                throw new IllegalStateException("cannot create the database directory for " + path, e);
            }
        }
        String separator = query < 0 ? "?" : "&";
        return jdbcUrl + separator
                + "journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true"
                + "&transaction_mode=IMMEDIATE";
    }

    public Dialect dialect() {
        return dialect;
    }

    /** Runs single statements outside a transaction. */
    public DbExecute execute() {
        return client.execute();
    }

    /** Runs {@code work} in one transaction named for logs; commits, or rolls back on failure. */
    public <T> T inTransaction(String name, Function<DbTransaction, T> work) {
        DbTransaction tx = client.transaction();
        try {
            T result = work.apply(tx);
            tx.commit();
            return result;
        } catch (RuntimeException | Error e) {
            try {
                tx.rollback();
            } catch (RuntimeException rollbackFailure) {
                e.addSuppressed(rollbackFailure);
            }
            LOG.log(Level.FINE, "transaction " + name + " rolled back", e);
            throw e;
        }
    }

    public void inTransaction(String name, Consumer<DbTransaction> work) {
        inTransaction(name, tx -> {
            work.accept(tx);
            return null;
        });
    }

    /**
     * Whether a failure is a unique-constraint violation on {@code table}: SQLSTATE 23505 on
     * PostgreSQL, SQLITE_CONSTRAINT_PRIMARYKEY/UNIQUE on SQLite.
     */
    public static boolean isUniqueViolation(Throwable failure, String table) {
        for (Throwable e = failure; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof java.sql.SQLException sql) {
                String message = String.valueOf(sql.getMessage());
                boolean unique = "23505".equals(sql.getSQLState())
                        || message.contains("UNIQUE constraint failed")
                        || message.contains("PRIMARYKEY") || message.contains("SQLITE_CONSTRAINT_UNIQUE");
                if (unique && message.contains(table)) {
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    public void close() {
        client.close();
    }
}
