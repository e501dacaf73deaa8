package dev.myelin.homeserver.service.directory;

import java.util.List;

/**
 * A query of the public room directory: the body of {@code POST /publicRooms}, or the query
 * parameters of {@code GET /publicRooms} (which has no filter).
 */
public record PublicRoomsRequest(Long limit, String since, Filter filter, Boolean includeAllNetworks,
                                 String thirdPartyInstanceId) {

    /** {@code filter}: a search over name, topic and canonical alias, and room types (null for none). */
    public record Filter(String genericSearchTerm, List<String> roomTypes) {
    }

    public static PublicRoomsRequest unfiltered(Long limit, String since) {
        return new PublicRoomsRequest(limit, since, null, null, null);
    }
}
