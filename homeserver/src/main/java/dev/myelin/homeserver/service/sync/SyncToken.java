package dev.myelin.homeserver.service.sync;

import dev.myelin.homeserver.http.MatrixException;

/**
 * A position on every stream a client syncs, printed as one opaque string
 * {@code s<roomEvents>_<accountData>}. The same tokens serve {@code /sync}'s next_batch and
 * prev_batch and {@code /messages}' from, to, start and end.
 *
 * @param roomEvents  position on the room event stream: everything at or below it is included
 * @param accountData position on the account data stream
 */
public record SyncToken(long roomEvents, long accountData) {
    public static final SyncToken START = new SyncToken(0, 0);

    public static SyncToken parse(String text) {
        if (text == null || text.length() < 2 || text.charAt(0) != 's') {
            throw MatrixException.invalidParam("Invalid stream token");
        }
        String[] parts = text.substring(1).split("_", -1);
        try {
            long events = Long.parseLong(parts[0]);
            long accountData = parts.length > 1 ? Long.parseLong(parts[1]) : 0;
            if (events < 0 || accountData < 0) {
                throw new NumberFormatException();
            }
            return new SyncToken(events, accountData);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Invalid stream token");
        }
    }

    public SyncToken withRoomEvents(long position) {
        return new SyncToken(position, accountData);
    }

    @Override
    public String toString() {
        return "s" + roomEvents + "_" + accountData;
    }
}
