package dev.myelin.homeserver.service.directory;

import dev.myelin.federation.auth.PowerLevels;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.service.room.LiveRoom;

/**
 * Who may manage a room's entries in the directories (delete others' aliases, publish or withdraw
 * it): a joined member with the power to send the room's {@code m.room.canonical_alias} state.
 */
final class DirectoryPower {
    private DirectoryPower() {
    }

    static boolean mayManage(LiveRoom room, UserId user) {
        if (!"join".equals(room.membership(user))) {
            return false;
        }
        PowerLevels levels = PowerLevels.fromState(room.state());
        return levels.userLevel(user) >= levels.eventLevel(CanonicalAlias.TYPE, true);
    }
}
