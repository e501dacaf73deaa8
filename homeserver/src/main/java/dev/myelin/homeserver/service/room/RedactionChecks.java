package dev.myelin.homeserver.service.room;

import dev.myelin.federation.auth.PowerLevels;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.storage.StoredEvent;

/**
 * Who may redact what, checked when a client sends a redaction: the event must be in the room
 * (else 404 {@code M_NOT_FOUND}), and redacting someone else's event takes the room's
 * {@code redact} power level (else 403 {@code M_FORBIDDEN}). From room version 3 the
 * authorization rules leave this to the servers ("Handling redactions"), and a local sender
 * always shares the original's server, so without this check anyone could redact anything.
 */
public final class RedactionChecks {
    private final EventCache events;

    public RedactionChecks(EventCache events) {
        this.events = events;
    }

    void check(LiveRoom room, UserId sender, EventId target) {
        StoredEvent event = events.get(target).filter(e -> e.pdu().roomId().equals(room.roomId()))
                .orElseThrow(() -> MatrixException.notFound("Event not found."));
        if (event.pdu().sender().equals(sender)) {
            return;
        }
        PowerLevels levels = PowerLevels.fromState(room.state());
        if (levels.userLevel(sender) < levels.redact()) {
            throw MatrixException.forbidden("Redacting another user's event requires power level "
                    + levels.redact() + ", you have " + levels.userLevel(sender));
        }
    }
}
