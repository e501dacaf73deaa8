package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.UserId;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the store contract suites: one fresh database of the given backend per test class,
 * shared by its tests, which therefore use their own users and rooms ({@link #uniqueUser}).
 * Each suite declares its tests in an abstract class and runs them in two {@code @Nested}
 * subclasses, {@code Sqlite} and {@code Postgres}, so reports name the backend.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class StoreContract {
    private static final AtomicInteger NEXT = new AtomicInteger();

    private final Backend backend;
    private Backend.OpenDatabase open;
    /** The class's database, open from before the first test to after the last. */
    protected Database db;

    protected StoreContract(Backend backend) {
        this.backend = backend;
    }

    @BeforeAll
    final void openDatabase() {
        open = backend.open();
        db = open.db();
        createStores(db);
    }

    /** Builds the store(s) under test on the class's database. */
    protected abstract void createStores(Database db);

    @AfterAll
    final void closeDatabase() {
        if (open != null) {
            open.close();
        }
    }

    protected Backend backend() {
        return backend;
    }

    /** A user ID no other test of the run uses. */
    protected static UserId uniqueUser(String localpart) {
        return UserId.of("@" + localpart + "-" + NEXT.incrementAndGet() + ":example.org");
    }

    /** A string no other test of the run uses, for device, room and alias names. */
    protected static String unique(String prefix) {
        return prefix + "-" + NEXT.incrementAndGet();
    }
}
