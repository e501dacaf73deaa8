package dev.myelin.homeserver.service.directory;

import java.util.List;

/** The answer of {@code /publicRooms}: one page of published rooms and the tokens around it. */
public record PublicRoomsResponse(List<PublishedRoom> chunk, String nextBatch, String prevBatch,
                                  int totalRoomCountEstimate) {
}
