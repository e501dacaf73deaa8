package dev.myelin.homeserver.service.room;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.storage.AccountStore;
import dev.myelin.homeserver.storage.AccountStore.Profile;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Display names and avatars. A change is also announced in every room the user is joined to, as
 * a new m.room.member event, so that other members see it.
 */
public final class ProfileService {
    private static final Logger LOG = Logger.getLogger(ProfileService.class.getName());

    private final AccountStore accounts;
    private final LiveRooms rooms;
    private final EventWriter writer;
    private final UserMemberships memberships;

    private final ServerName self;
    private final RemoteRooms remote;

    public ProfileService(ServerName self, AccountStore accounts, LiveRooms rooms, EventWriter writer,
                          UserMemberships memberships, RemoteRooms remote) {
        this.self = self;
        this.remote = remote;
        this.accounts = accounts;
        this.rooms = rooms;
        this.writer = writer;
        this.memberships = memberships;
    }

    /** A user's profile; another server's user's is asked of their server. */
    public Profile profile(UserId user) {
        if (!user.server().equals(self)) {
            return remote.profile(user);
        }
        return accounts.profile(user).orElseThrow(() -> MatrixException.notFound("Profile not found"));
    }

    public void setDisplayname(Requester requester, String displayname) {
        checkLength(displayname);
        profile(requester.userId());
        accounts.setDisplayname(requester.userId(), displayname);
        announce(requester.userId(), "displayname", displayname);
    }

    public void setAvatarUrl(Requester requester, String avatarUrl) {
        checkLength(avatarUrl);
        profile(requester.userId());
        accounts.setAvatarUrl(requester.userId(), avatarUrl);
        announce(requester.userId(), "avatar_url", avatarUrl);
    }

    private void announce(UserId user, String field, String value) {
        for (MembershipRow row : memberships.of(user)) {
            if (!row.membership().equals("join")) {
                continue;
            }
            rooms.get(row.roomId()).ifPresent(room -> {
                Pdu current = room.state("m.room.member", user.value());
                if (current == null) {
                    return;
                }
                ObjectNode content = current.content();
                content.remove("reason");
                if (value == null) {
                    content.remove(field);
                } else {
                    content.put(field, value);
                }
                try {
                    writer.send(room, EventDraft.state(user, "m.room.member", user.value(), content));
                } catch (MatrixException e) {
                    LOG.log(Level.FINE, "profile change not announced in " + row.roomId(), e);
                }
            });
        }
    }

    private static void checkLength(String value) {
        if (value != null && value.length() > 1024) {
            throw MatrixException.invalidParam("Profile field too long");
        }
    }
}
