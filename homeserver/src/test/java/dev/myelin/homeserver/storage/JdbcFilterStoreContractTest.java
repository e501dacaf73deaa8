package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.id.UserId;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcFilterStore} against the {@link FilterStore} contract, on both databases. */
class JdbcFilterStoreContractTest {
    private static final String LAZY = "{\"room\":{\"state\":{\"lazy_load_members\":true}}}";
    private static final String TIMELINE = "{\"room\":{\"timeline\":{\"limit\":10}}}";

    @Nested
    class Sqlite extends Contract {
        Sqlite() {
            super(Backend.SQLITE);
        }
    }

    @Nested
    class Postgres extends Contract {
        Postgres() {
            super(Backend.POSTGRES);
        }
    }

    abstract static class Contract extends StoreContract {
        private FilterStore filters;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            filters = new JdbcFilterStore(db);
        }

        @Test
        void idsStartAtZeroAndIncreasePerUser() {
            UserId alice = uniqueUser("alice");
            assertEquals(0L, filters.create(alice, LAZY));
            assertEquals(1L, filters.create(alice, TIMELINE));
            assertEquals(2L, filters.create(alice, "{}"));
            assertEquals(Optional.of(LAZY), filters.get(alice, 0));
            assertEquals(Optional.of(TIMELINE), filters.get(alice, 1));
            assertEquals(Optional.of("{}"), filters.get(alice, 2));
        }

        @Test
        void identicalFilterJsonReturnsTheSameId() {
            UserId bob = uniqueUser("bob");
            assertEquals(0L, filters.create(bob, LAZY));
            assertEquals(1L, filters.create(bob, TIMELINE));
            assertEquals(0L, filters.create(bob, LAZY));
            assertEquals(1L, filters.create(bob, TIMELINE));
            assertEquals(2L, filters.create(bob, "{\"presence\":{\"not_types\":[\"*\"]}}"));
        }

        @Test
        void jsonIsComparedExactly() {
            UserId carol = uniqueUser("carol");
            assertEquals(0L, filters.create(carol, "{\"a\":1}"));
            assertEquals(1L, filters.create(carol, "{\"a\": 1}"));
            assertEquals(2L, filters.create(carol, "{\"A\":1}"));
        }

        @Test
        void otherUsersFiltersAreInvisible() {
            UserId dave = uniqueUser("dave");
            UserId erin = uniqueUser("erin");
            assertEquals(0L, filters.create(dave, LAZY));
            assertEquals(Optional.empty(), filters.get(erin, 0));
            assertEquals(0L, filters.create(erin, TIMELINE));
            assertEquals(0L, filters.create(erin, TIMELINE));
            assertEquals(1L, filters.create(erin, LAZY));
            assertEquals(Optional.of(LAZY), filters.get(dave, 0));
            assertEquals(Optional.of(TIMELINE), filters.get(erin, 0));
            assertEquals(Optional.empty(), filters.get(dave, 1));
        }

        @Test
        void unknownIdsAreEmpty() {
            UserId frank = uniqueUser("frank");
            assertEquals(Optional.empty(), filters.get(frank, 0));
            filters.create(frank, LAZY);
            assertEquals(Optional.empty(), filters.get(frank, 1));
            assertEquals(Optional.empty(), filters.get(frank, -1));
        }

        @Test
        void concurrentCreatesGetDistinctConsecutiveIds() throws Exception {
            UserId henry = uniqueUser("henry");
            int threads = 4;
            int perThread = 10;
            List<Callable<List<Long>>> work = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                work.add(() -> {
                    List<Long> ids = new ArrayList<>();
                    for (int i = 0; i < perThread; i++) {
                        ids.add(filters.create(henry, "{\"thread\":" + thread + ",\"i\":" + i + "}"));
                    }
                    return ids;
                });
            }
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                Set<Long> ids = new TreeSet<>();
                for (Future<List<Long>> result : pool.invokeAll(work)) {
                    ids.addAll(result.get());
                }
                assertEquals(LongStream.range(0, threads * perThread).boxed().toList(), List.copyOf(ids));
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void filterJsonRoundTripsUnchanged() {
            UserId grace = uniqueUser("grace");
            String json = "{\n  \"room\" : { \"rooms\": [\"!ä:example.org\"], \"note\": \"🌱 'q' \\\"x\\\"\" }\n}";
            long id = filters.create(grace, json);
            assertEquals(Optional.of(json), filters.get(grace, id));
        }
    }
}
