package dev.myelin.homeserver.service.ephemeral;

import com.fasterxml.jackson.databind.JsonNode;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.AccountDataService;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.push.ReadListener;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.ReceiptStore;
import dev.myelin.homeserver.storage.ReceiptStore.Receipt;
import dev.myelin.homeserver.storage.StoredEvent;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Receipts ({@code m.read}, {@code m.read.private}) and the read marker ({@code m.fully_read},
 * room account data). Each user has one receipt per room, type and thread; a receipt never moves
 * back within its thread. Each room's receipts are held in memory once read, so that a woken
 * {@code /sync} needs no query.
 */
public final class ReceiptService {
    public static final String READ = "m.read";
    public static final String READ_PRIVATE = "m.read.private";
    public static final String FULLY_READ = "m.fully_read";
    /** The thread of events that are in no thread. */
    public static final String MAIN_THREAD = "main";
    private static final Set<String> TYPES = Set.of(READ, READ_PRIVATE, FULLY_READ);

    private record Key(UserId user, String type, String threadId) {
    }

    /** One room's receipts, the latest per user, type and thread. */
    private static final class RoomReceipts {
        final ReentrantLock lock = new ReentrantLock();
        final Map<Key, Receipt> latest = new ConcurrentHashMap<>();
        volatile long lastStream;

        RoomReceipts(List<Receipt> stored) {
            stored.forEach(this::add);
        }

        void add(Receipt r) {
            latest.put(new Key(r.userId(), r.type(), r.threadId()), r);
            lastStream = Math.max(lastStream, r.streamId());
        }
    }

    private final ReceiptStore store;
    private final Streams streams;
    private final Notifier notifier;
    private final LiveRooms rooms;
    private final EventCache events;
    private final AccountDataService accountData;
    private final ReadListener readListener;
    private final Clock clock;
    private final EphemeralListener listener;
    private final ConcurrentHashMap<RoomId, RoomReceipts> byRoom = new ConcurrentHashMap<>();

    public ReceiptService(ReceiptStore store, Streams streams, Notifier notifier, LiveRooms rooms, EventCache events,
                          AccountDataService accountData, ReadListener readListener, Clock clock,
                          EphemeralListener listener) {
        this.listener = listener;
        this.store = store;
        this.streams = streams;
        this.notifier = notifier;
        this.rooms = rooms;
        this.events = events;
        this.accountData = accountData;
        this.readListener = readListener;
        this.clock = clock;
    }

    /** {@code POST /rooms/{roomId}/receipt/{receiptType}/{eventId}}; {@code threadId} null when unthreaded. */
    public void receipt(UserId user, RoomId roomId, String type, EventId eventId, JsonNode threadId) {
        if (!TYPES.contains(type)) {
            throw MatrixException.invalidParam("Unknown receipt type " + type);
        }
        String thread = threadId(threadId);
        if (thread != null && type.equals(FULLY_READ)) {
            throw MatrixException.invalidParam("m.fully_read cannot be threaded");
        }
        LiveRoom room = joinedRoom(user, roomId);
        StoredEvent target = event(roomId, eventId);
        if (thread != null && !inThread(target, thread)) {
            throw MatrixException.invalidParam("Event " + eventId + " is not in thread " + thread);
        }
        if (type.equals(FULLY_READ)) {
            accountData.putFullyRead(user, roomId, eventId);
        } else {
            put(user, room, type, thread, target);
        }
    }

    /** {@code POST /rooms/{roomId}/read_markers}: each argument may be null. */
    public void readMarkers(UserId user, RoomId roomId, EventId fullyRead, EventId read, EventId readPrivate) {
        LiveRoom room = joinedRoom(user, roomId);
        StoredEvent fully = fullyRead == null ? null : event(roomId, fullyRead);
        StoredEvent publicRead = read == null ? null : event(roomId, read);
        StoredEvent privateRead = readPrivate == null ? null : event(roomId, readPrivate);
        if (fully != null) {
            accountData.putFullyRead(user, roomId, fullyRead);
        }
        if (publicRead != null) {
            put(user, room, READ, null, publicRead);
        }
        if (privateRead != null) {
            put(user, room, READ_PRIVATE, null, privateRead);
        }
    }

    /**
     * The room's receipts set in {@code (since, upTo]} that {@code viewer} may see: everyone's
     * public receipts and only their own private ones.
     */
    public List<Receipt> visible(UserId viewer, RoomId roomId, long since, long upTo) {
        if (since >= upTo) {
            return List.of();
        }
        RoomReceipts receipts = load(roomId);
        if (receipts.lastStream <= since) {
            return List.of();
        }
        List<Receipt> result = new ArrayList<>();
        for (Receipt r : receipts.latest.values()) {
            if (r.streamId() > since && r.streamId() <= upTo
                    && (!r.type().equals(READ_PRIVATE) || r.userId().equals(viewer))) {
                result.add(r);
            }
        }
        return result;
    }

    private void put(UserId user, LiveRoom room, String type, String thread, StoredEvent target) {
        RoomReceipts receipts = load(room.roomId());
        Key key = new Key(user, type, thread);
        Receipt receipt;
        receipts.lock.lock();
        try {
            Receipt old = receipts.latest.get(key);
            if (old != null && old.eventStream() >= target.stream()) {
                return; // a receipt never moves back in its thread
            }
            receipt = streams.receipts().write(position -> {
                Receipt r = new Receipt(room.roomId(), user, type, thread, target.pdu().eventId(), target.stream(),
                        clock.millis(), position);
                store.put(r);
                return r;
            });
            receipts.add(receipt);
        } finally {
            receipts.lock.unlock();
        }
        notifier.notify(type.equals(READ_PRIVATE) ? List.of(user) : room.joined());
        readListener.read(user, room.roomId(), thread, target);
        if (!type.equals(READ_PRIVATE)) {
            listener.receipt(room, receipt);
        }
    }

    private RoomReceipts load(RoomId roomId) {
        return byRoom.computeIfAbsent(roomId, r -> new RoomReceipts(store.inRoom(r)));
    }

    private LiveRoom joinedRoom(UserId user, RoomId roomId) {
        return rooms.get(roomId).filter(room -> "join".equals(room.membership(user)))
                .orElseThrow(() -> MatrixException.forbidden("You are not joined to this room"));
    }

    private StoredEvent event(RoomId roomId, EventId eventId) {
        return events.get(eventId).filter(e -> e.pdu().roomId().equals(roomId))
                .orElseThrow(() -> MatrixException.notFound("Unknown event " + eventId + " in this room"));
    }

    /** Validates the body's {@code thread_id}: absent, {@code "main"} or an event ID. */
    private static String threadId(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return null;
        }
        if (!node.isTextual() || node.asText().isEmpty()) {
            throw MatrixException.invalidParam("thread_id must be a non-empty string");
        }
        String thread = node.asText();
        if (!thread.equals(MAIN_THREAD)) {
            try {
                EventId.of(thread);
            } catch (IllegalArgumentException e) {
                throw MatrixException.invalidParam("thread_id must be \"main\" or an event ID");
            }
        }
        return thread;
    }

    /** Whether the event belongs to the thread: its root, an event related to it by m.thread, or main. */
    private static boolean inThread(StoredEvent event, String thread) {
        JsonNode relation = event.pdu().content().path("m.relates_to");
        boolean threaded = relation.path("rel_type").asText("").equals("m.thread");
        String root = threaded ? relation.path("event_id").asText("") : MAIN_THREAD;
        return root.equals(thread) || event.pdu().eventId().value().equals(thread);
    }

    /** Groups receipts as the content of m.receipt events: event ID → type → user → {ts, thread_id}. */
    public static List<Map<String, Map<String, Map<String, Receipt>>>> group(List<Receipt> receipts) {
        // One user may hold an unthreaded and a threaded receipt on the same event: the second goes
        // into a further m.receipt event rather than overwriting the first.
        List<Map<String, Map<String, Map<String, Receipt>>>> contents = new ArrayList<>();
        for (Receipt r : receipts) {
            Map<String, Map<String, Map<String, Receipt>>> target = null;
            for (var content : contents) {
                var users = content.getOrDefault(r.eventId().value(), Map.of()).getOrDefault(r.type(), Map.of());
                if (!users.containsKey(r.userId().value())) {
                    target = content;
                    break;
                }
            }
            if (target == null) {
                target = new HashMap<>();
                contents.add(target);
            }
            target.computeIfAbsent(r.eventId().value(), e -> new HashMap<>())
                    .computeIfAbsent(r.type(), t -> new HashMap<>())
                    .put(r.userId().value(), r);
        }
        return contents;
    }
}
