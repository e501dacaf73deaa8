package dev.myelin.homeserver.service.room;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.Requester;
import dev.myelin.homeserver.service.EventCache;
import dev.myelin.homeserver.service.Streams;
import dev.myelin.homeserver.service.directory.CanonicalAlias;
import dev.myelin.homeserver.service.directory.RoomDirectory;
import dev.myelin.homeserver.service.relations.RelationChecks;
import dev.myelin.homeserver.service.relations.RelationIndex;
import dev.myelin.homeserver.service.sync.Notifier;
import dev.myelin.homeserver.storage.Database;
import dev.myelin.homeserver.storage.JdbcAccountStore;
import dev.myelin.homeserver.storage.JdbcEventStore;
import dev.myelin.homeserver.storage.JdbcRelationStore;
import dev.myelin.homeserver.storage.JdbcRoomDirectoryStore;
import dev.myelin.homeserver.storage.JdbcRoomStateStore;
import dev.myelin.homeserver.testing.TestDatabases;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link ServerAcls#isAllowed}, the check the federation layer calls, follows a room's current ACL. */
class ServerAclsTest {
    private static final ServerName HERE = ServerName.of("localhost");
    private static final Requester ALICE = new Requester(UserId.of("@alice:localhost"), "DEVICE", "hash");

    private Database db;
    private RoomCreator creator;
    private RoomEvents roomEvents;
    private ServerAcls acls;

    @BeforeEach
    void buildServices() {
        db = Database.open(TestDatabases.freshSqlite(TestDatabases.tempDir("server-acls")), 2);
        var events = new JdbcEventStore(db);
        var roomStore = new JdbcRoomStateStore(db);
        var accounts = new JdbcAccountStore(db);
        var cache = new EventCache(events, 1000);
        var userMemberships = new UserMemberships(roomStore);
        var rooms = new LiveRooms(roomStore, cache);
        var writer = new EventWriter(HERE, SigningKey.generate("test"), events, cache,
                new Streams(events.maxStream(), 0, events.maxStateGroup()), new Notifier(), userMemberships, CommitHook.NONE, RoomEventListener.NONE);
        var memberships = new MembershipService(HERE, rooms, writer, roomStore, accounts, userMemberships,
                RemoteRooms.NONE);
        creator = new RoomCreator(HERE, rooms, writer, roomStore, accounts, memberships,
                new RoomDirectory(HERE, rooms, new JdbcRoomDirectoryStore(db)));
        var relationStore = new JdbcRelationStore(db);
        roomEvents = new RoomEvents(rooms, writer, new CanonicalAlias(HERE, roomStore), new RedactionChecks(cache),
                new RelationChecks(relationStore, events, new RelationIndex(relationStore)));
        acls = new ServerAcls(rooms);
    }

    @AfterEach
    void close() {
        db.close();
    }

    private RoomId room() {
        return creator.create(ALICE, new CreateRoomRequest(null, null, null, null, null, null, null, null,
                "public_chat", null, null));
    }

    private void setAcl(RoomId roomId, Map<String, Object> content) {
        roomEvents.setState(ALICE, roomId, "m.room.server_acl", "", Json.MAPPER.valueToTree(content));
    }

    @Test
    void aRoomWithoutAclAllowsEveryServer() {
        RoomId roomId = room();
        assertTrue(acls.isAllowed(roomId, ServerName.of("anyone.example")));
        assertTrue(acls.isAllowed(roomId, ServerName.of("10.0.0.1:8448")));
    }

    @Test
    void theCurrentAclDecidesAndChangesTakeEffect() {
        RoomId roomId = room();
        setAcl(roomId, Map.of("allow", List.of("*"), "deny", List.of("*.evil.com"), "allow_ip_literals", false));
        assertTrue(acls.isAllowed(roomId, ServerName.of("good.org")));
        assertFalse(acls.isAllowed(roomId, ServerName.of("matrix.evil.com:8448")));
        assertFalse(acls.isAllowed(roomId, ServerName.of("10.0.0.1")));

        setAcl(roomId, Map.of("allow", List.of("good.org")));
        assertTrue(acls.isAllowed(roomId, ServerName.of("good.org")));
        assertFalse(acls.isAllowed(roomId, ServerName.of("10.0.0.1")), "not in allow");
        assertFalse(acls.isAllowed(roomId, ServerName.of("other.org")));
        assertTrue(acls.isAllowed(room(), ServerName.of("other.org")), "another room has no ACL");
    }

    @Test
    void anUnknownRoomHasNoAclHere() {
        assertTrue(acls.isAllowed(RoomId.of("!unknown:elsewhere.org"), ServerName.of("evil.com")));
    }
}
