package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import java.util.List;
import java.util.Set;

/**
 * Full-text search over the searchable keys of room events ({@code content.body} of messages,
 * {@code content.name} and {@code content.topic} of name and topic events). Redacted events
 * never match. PostgreSQL full-text search and SQLite FTS5 behind one contract.
 */
public interface SearchStore {
    /** The content keys the spec lets a search look in. */
    enum Key {
        BODY("content.body"), NAME("content.name"), TOPIC("content.topic");

        private final String specName;

        Key(String specName) {
            this.specName = specName;
        }

        public String specName() {
            return specName;
        }
    }

    /** Result order: best match first, or newest first. */
    enum Order { RANK, RECENT }

    /**
     * A room the search may look in, up to (and including) a stream position.
     *
     * @param upTo the last stream position readable in the room ({@code Long.MAX_VALUE}: all)
     */
    record RoomScope(RoomId roomId, long upTo) {
    }

    /**
     * One search.
     *
     * @param term   the user's words; every word must match (stemmed)
     * @param keys   where to look; never empty
     * @param rooms  the rooms to look in; an empty list finds nothing
     * @param filter types and senders to keep or drop
     * @param before for {@link Order#RECENT}, only events before this stream position
     * @param offset for {@link Order#RANK}, how many best results to skip
     */
    record Query(String term, Set<Key> keys, List<RoomScope> rooms, EventStore.EventQuery filter, Order order,
                 int limit, long before, int offset) {
    }

    /** One matching event and how well it matched (higher is better). */
    record Hit(long stream, EventId eventId, RoomId roomId, double rank) {
    }

    /**
     * A page of results.
     *
     * @param count approximately how many events match in all
     */
    record Page(List<Hit> hits, long count) {
    }

    Page search(Query query);
}
