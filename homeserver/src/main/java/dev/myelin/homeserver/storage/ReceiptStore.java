package dev.myelin.homeserver.storage;

import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import java.util.List;

/** Each user's latest receipt per room, receipt type and thread, ordered on the receipt stream. */
public interface ReceiptStore {
    /**
     * One receipt.
     *
     * @param threadId    null for an unthreaded receipt, {@code "main"} or a thread root's event ID
     * @param eventStream the stream position of the event the receipt points at
     * @param ts          when the receipt was sent, in milliseconds since the epoch
     * @param streamId    the receipt's position on the receipt stream
     */
    record Receipt(RoomId roomId, UserId userId, String type, String threadId, EventId eventId, long eventStream,
                   long ts, long streamId) {
    }

    /** Sets the user's receipt of this type and thread in the room, replacing an earlier one. */
    void put(Receipt receipt);

    /** The current receipts in a room, ordered by stream position. */
    List<Receipt> inRoom(RoomId roomId);

    /** The highest stream position used, for resuming the stream at start-up. */
    long maxStreamId();
}
