package dev.myelin.homeserver.service.sync;

import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.Streams;

/**
 * A position on every stream a client syncs, printed as one opaque string
 * {@code s<roomEvents>_<accountData>_<receipts>_<typing>_<presence>_<toDevice>}. The same tokens serve
 * {@code /sync}'s next_batch and prev_batch and {@code /messages}' from, to, start and end.
 * Older forms {@code s<roomEvents>} and {@code s<roomEvents>_<accountData>} still parse, the
 * missing positions reading as zero.
 *
 * @param roomEvents  position on the room event stream: everything at or below it is included
 * @param accountData position on the account data stream
 * @param receipts    position on the receipt stream
 * @param typing      position on the typing stream (held in memory: it restarts with the server)
 * @param presence    position on the presence stream
 * @param toDevice    position on the to-device stream: messages at or below it were delivered
 */
public record SyncToken(long roomEvents, long accountData, long receipts, long typing, long presence,
                        long toDevice) {
    public static final SyncToken START = new SyncToken(0, 0, 0, 0, 0, 0);
    private static final int POSITIONS = 6;

    /** A token from before the to-device stream: its position reads as zero. */
    public SyncToken(long roomEvents, long accountData, long receipts, long typing, long presence) {
        this(roomEvents, accountData, receipts, typing, presence, 0);
    }

    /** A token with only the room event and account data positions. */
    public SyncToken(long roomEvents, long accountData) {
        this(roomEvents, accountData, 0, 0, 0);
    }

    /** The streams' current positions. */
    public static SyncToken current(Streams streams) {
        return new SyncToken(streams.roomEvents().current(), streams.accountData().current(),
                streams.receipts().current(), streams.typing().current(), streams.presence().current(),
                streams.toDevice().current());
    }

    public static SyncToken parse(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != 's') {
            throw MatrixException.invalidParam("Invalid stream token");
        }
        String[] parts = text.substring(1).split("_", -1);
        if (parts.length > POSITIONS) {
            throw MatrixException.invalidParam("Invalid stream token");
        }
        long[] positions = new long[POSITIONS];
        try {
            for (int i = 0; i < parts.length; i++) {
                positions[i] = Long.parseLong(parts[i]);
                // Room events fetched from other servers (backfill) sit at negative positions.
                if (positions[i] < 0 && i > 0) {
                    throw new NumberFormatException();
                }
            }
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Invalid stream token");
        }
        return new SyncToken(positions[0], positions[1], positions[2], positions[3], positions[4], positions[5]);
    }

    public SyncToken withToDevice(long position) {
        return new SyncToken(roomEvents, accountData, receipts, typing, presence, position);
    }

    public SyncToken withRoomEvents(long position) {
        return new SyncToken(position, accountData, receipts, typing, presence, toDevice);
    }

    @Override
    public String toString() {
        return "s" + roomEvents + "_" + accountData + "_" + receipts + "_" + typing + "_" + presence + "_" + toDevice;
    }
}
