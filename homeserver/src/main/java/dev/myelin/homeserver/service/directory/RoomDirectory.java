package dev.myelin.homeserver.service.directory;

import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.room.LiveRoom;
import dev.myelin.homeserver.service.room.LiveRooms;
import dev.myelin.homeserver.storage.RoomDirectoryStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The public room directory: which rooms are published ({@code /directory/list/room/{roomId}})
 * and the paginated, filtered list of them ({@code /publicRooms}), most joined members first
 * (room ID breaks ties). Each entry is read from the room's state in memory.
 */
public final class RoomDirectory {
    public static final String PUBLIC = "public";
    public static final String PRIVATE = "private";
    /** The page size when the client names none, and the largest it may ask for. */
    static final int MAX_LIMIT = 100;

    private static final Comparator<PublishedRoom> ORDER = Comparator
            .comparingInt(PublishedRoom::numJoinedMembers).reversed()
            .thenComparing(PublishedRoom::roomId);

    private final ServerName serverName;
    private final LiveRooms rooms;
    private final RoomDirectoryStore store;

    public RoomDirectory(ServerName serverName, LiveRooms rooms, RoomDirectoryStore store) {
        this.serverName = serverName;
        this.rooms = rooms;
        this.store = store;
    }

    /** {@code GET /directory/list/room/{roomId}}: "public" or "private"; 404 for an unknown room. */
    public String visibility(RoomId roomId) {
        room(roomId);
        return store.isPublished(roomId) ? PUBLIC : PRIVATE;
    }

    /** {@code PUT /directory/list/room/{roomId}}: for members with power over the canonical alias. */
    public void setVisibility(Requester requester, RoomId roomId, String visibility) {
        LiveRoom room = room(roomId);
        String value = visibility == null ? PUBLIC : visibility;
        if (!value.equals(PUBLIC) && !value.equals(PRIVATE)) {
            throw MatrixException.invalidParam("visibility must be \"public\" or \"private\"");
        }
        if (!DirectoryPower.mayManage(room, requester.userId())) {
            throw MatrixException.forbidden("You may not change this room's visibility in the directory");
        }
        store.setPublished(roomId, value.equals(PUBLIC));
    }

    /** Publishes a room just created with {@code "visibility": "public"}. */
    public void publish(RoomId roomId) {
        store.setPublished(roomId, true);
    }

    /** A room upgrade's move of the listing: a published room's replacement is published instead. */
    public void moveListing(RoomId from, RoomId to) {
        if (store.isPublished(from)) {
            store.setPublished(to, true);
            store.setPublished(from, false);
        }
    }

    /** {@code GET|POST /publicRooms} of this server ({@code server} absent or this server's name). */
    public PublicRoomsResponse publicRooms(String server, PublicRoomsRequest request) {
        if (server != null && !server.equals(serverName.value())) {
            throw MatrixException.notFound("This server cannot list the public rooms of " + server);
        }
        int limit = limit(request.limit());
        int offset = PageToken.offset(request.since());
        List<PublishedRoom> matching = new ArrayList<>();
        if (request.thirdPartyInstanceId() == null) {
            for (RoomId roomId : store.publishedRooms()) {
                rooms.get(roomId).map(PublishedRoom::of).filter(room -> matches(room, request.filter()))
                        .ifPresent(matching::add);
            }
        }
        matching.sort(ORDER);
        int from = Math.min(offset, matching.size());
        int to = Math.min(from + limit, matching.size());
        String next = to < matching.size() ? PageToken.of(to) : null;
        String prev = from > 0 ? PageToken.of(Math.max(0, from - limit)) : null;
        return new PublicRoomsResponse(List.copyOf(matching.subList(from, to)), next, prev, matching.size());
    }

    private static boolean matches(PublishedRoom room, PublicRoomsRequest.Filter filter) {
        if (filter == null) {
            return true;
        }
        String term = filter.genericSearchTerm();
        if (term != null && !term.isBlank() && !room.matches(term.strip().toLowerCase(Locale.ROOT))) {
            return false;
        }
        return filter.roomTypes() == null || filter.roomTypes().contains(room.roomType());
    }

    private static int limit(Long requested) {
        if (requested == null || requested <= 0) {
            return MAX_LIMIT;
        }
        return (int) Math.min(requested, MAX_LIMIT);
    }

    private LiveRoom room(RoomId roomId) {
        Optional<LiveRoom> room = rooms.get(roomId);
        return room.orElseThrow(() -> MatrixException.notFound("Room not found"));
    }
}
