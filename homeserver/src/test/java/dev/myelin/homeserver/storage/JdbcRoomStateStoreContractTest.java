package dev.myelin.homeserver.storage;

import static dev.myelin.homeserver.storage.SampleRoom.id;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.auth.StateKey;
import dev.myelin.federation.id.EventId;
import dev.myelin.federation.id.RoomAlias;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.storage.RoomStateStore.MembershipRow;
import dev.myelin.homeserver.storage.RoomStateStore.RoomHead;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** {@link JdbcRoomStateStore} against the {@link RoomStateStore} contract, on both databases. */
class JdbcRoomStateStoreContractTest {

    @Nested
    class Sqlite extends Contract {
        Sqlite() {
            super(Backend.SQLITE);
        }
    }

    @Nested
    class Postgres extends Contract {
        Postgres() {
            super(Backend.POSTGRES);
        }
    }

    @Nested
    class PostgresEnglishCollation extends Contract {
        PostgresEnglishCollation() {
            super(Backend.POSTGRES_ENGLISH_COLLATION);
        }
    }

    abstract static class Contract extends StoreContract {
        private static final RoomId UNKNOWN = RoomId.of("!unknown:example.org");
        private EventStore events;
        private RoomStateStore rooms;
        private SampleRoom s;

        Contract(Backend backend) {
            super(backend);
        }

        @Override
        protected void createStores(Database db) {
            events = new JdbcEventStore(db);
            rooms = new JdbcRoomStateStore(db);
            s = new SampleRoom(events);
        }

        private static MembershipRow row(RoomHistory room, StoredEvent event) {
            return new MembershipRow(room.roomId(), UserId.of(event.pdu().stateKey()), event.pdu().membership(),
                    id(event), event.stream());
        }

        @Test
        void stateOfGroupWithKeysReadsOnlyThoseKeysAtEveryKindOfGroup() {
            StateKey name = new StateKey("m.room.name", "");
            StateKey bob = new StateKey("m.room.member", s.bob.value());
            StateKey nobody = new StateKey("m.room.member", "@nobody:example.org");
            for (StoredEvent at : s.timeline) {
                Map<StateKey, EventId> full = rooms.stateOfGroup(at.stateGroup());
                Map<StateKey, EventId> expected = new java.util.HashMap<>(full);
                expected.keySet().retainAll(Set.of(name, bob, nobody));
                assertEquals(expected, rooms.stateOfGroup(at.stateGroup(), List.of(name, bob, nobody)),
                        "at " + at.pdu().type());
            }
            assertEquals(Map.of(name, id(s.hall), bob, id(s.bobLeave)),
                    rooms.stateOfGroup(s.hall.stateGroup(), List.of(name, bob, nobody)));
            assertEquals(Map.of(), rooms.stateOfGroup(s.hall.stateGroup(), List.of()));
        }

        @Test
        void lastJoinIsTheLatestJoinEvenAfterLeaving() {
            assertEquals(java.util.OptionalLong.of(s.bobJoin.stream()), rooms.lastJoin(s.room.roomId(), s.bob));
            assertEquals(java.util.OptionalLong.of(s.aliceJoin.stream()), rooms.lastJoin(s.room.roomId(), s.alice));
            assertEquals(java.util.OptionalLong.empty(), rooms.lastJoin(s.room.roomId(), s.dave));
            assertEquals(java.util.OptionalLong.empty(), rooms.lastJoin(UNKNOWN, s.bob));
        }

        @Test
        void roomHeadHasWhatTheWriterResumesFrom() {
            RoomHead head = rooms.roomHead(s.room.roomId()).orElseThrow();
            assertEquals(new RoomHead(s.room.roomId(), "10", List.of(id(s.hall)), s.hall.pdu().depth(),
                    s.hall.stateGroup(), 3, s.hall.stream()), head);
            assertEquals(s.timeline.size(), head.maxDepth());
            assertEquals(s.room.stateGroup(), head.stateGroup());
            assertEquals(s.room.chainLength(), head.chainLength());
            assertEquals(Optional.empty(), rooms.roomHead(UNKNOWN));
        }

        @Test
        void roomHeadAfterAMessageKeepsTheLatestStateGroup() {
            RoomHead head = rooms.roomHead(s.other.roomId()).orElseThrow();
            assertEquals(new RoomHead(s.other.roomId(), "10", s.other.extremities(), s.other.maxDepth(),
                    s.other.stateGroup(), s.other.chainLength(), s.other.lastStream()), head);
            assertEquals(4L, head.maxDepth());
            assertEquals(2, head.chainLength());
        }

        @Test
        void currentStateIsTheLatestEventPerKey() {
            Map<StateKey, EventId> state = rooms.currentState(s.room.roomId());
            assertEquals(s.room.currentState(), state);
            assertEquals(7, state.size());
            assertEquals(id(s.hall), state.get(StateKey.of("m.room.name", "")));
            assertEquals(id(s.bobLeave), state.get(StateKey.member(s.bob)));
            assertEquals(id(s.daveInvite), state.get(StateKey.member(s.dave)));
            assertEquals(Map.of(), rooms.currentState(UNKNOWN));
        }

        @Test
        void stateOfGroupResolvesDeltaChainsAndSnapshots() {
            for (RoomHistory room : List.of(s.room, s.other)) {
                room.stateByGroup().forEach((group, state) -> assertEquals(state, rooms.stateOfGroup(group), "group " + group));
            }
            Map<StateKey, EventId> beforeName = rooms.stateOfGroup(s.bobJoin.stateGroup());
            assertEquals(5, beforeName.size());
            assertFalse(beforeName.containsKey(StateKey.of("m.room.name", "")));
            assertEquals(id(s.lobby), rooms.stateOfGroup(s.reply.stateGroup()).get(StateKey.of("m.room.name", "")));
            assertEquals(id(s.hall), rooms.stateOfGroup(s.hall.stateGroup()).get(StateKey.of("m.room.name", "")));
            assertEquals(Map.of(), rooms.stateOfGroup(987_654_321L));
        }

        @Test
        void stateGroupsAreStoredAsDeltasUntilASnapshot() {
            assertEquals(1L, entries(s.bobJoin.stateGroup()));
            assertEquals(6L, entries(s.lobby.stateGroup()));
            assertEquals(1L, entries(s.hall.stateGroup()));
            assertEquals(1L, entries(s.create.stateGroup()));
        }

        private long entries(long group) {
            return db.execute().get("SELECT COUNT(*) AS n FROM state_group_entries WHERE state_group = ?", group)
                    .map(r -> Rows.longValue(r, "n")).orElseThrow();
        }

        @Test
        void membershipsOfListsEveryRoomWithTheLatestMembership() {
            StoredEvent aliceInOther = s.other.events().get(2);
            StoredEvent bobInOther = s.other.events().get(1);
            assertEquals(Set.of(row(s.room, s.aliceJoin), row(s.other, aliceInOther)), Set.copyOf(rooms.membershipsOf(s.alice)));
            assertEquals(Set.of(row(s.room, s.bobLeave), row(s.other, bobInOther)), Set.copyOf(rooms.membershipsOf(s.bob)));
            assertEquals(List.of(row(s.room, s.daveInvite)), rooms.membershipsOf(s.dave));
            assertEquals(List.of(), rooms.membershipsOf(uniqueUser("stranger")));
        }

        @Test
        void membersAndMembership() {
            assertEquals(List.of(s.alice), rooms.members(s.room.roomId(), "join"));
            assertEquals(List.of(s.bob), rooms.members(s.room.roomId(), "leave"));
            assertEquals(List.of(s.dave), rooms.members(s.room.roomId(), "invite"));
            assertEquals(List.of(), rooms.members(s.room.roomId(), "ban"));
            assertEquals(Stream.of(s.alice, s.bob).sorted((a, b) -> a.value().compareTo(b.value())).toList(),
                    rooms.members(s.other.roomId(), "join"));
            assertEquals(Optional.of(row(s.room, s.bobLeave)), rooms.membership(s.room.roomId(), s.bob));
            assertEquals(Optional.empty(), rooms.membership(s.room.roomId(), uniqueUser("stranger")));
            assertEquals(Optional.empty(), rooms.membership(UNKNOWN, s.alice));
        }

        @Test
        void membersAreInCodePointOrderWhateverTheCollation() {
            UserId owner = uniqueUser("owner");
            RoomHistory room = RoomHistory.create(events, unique("order"), owner, 8);
            List<UserId> users = List.of(UserId.of("@Zed-" + unique("z") + ":example.org"), uniqueUser("_bot"),
                    uniqueUser("alice"), UserId.of("@Alice-" + unique("a") + ":example.org"), uniqueUser("al"));
            users.forEach(user -> room.membership(user, user, "join"));
            List<UserId> expected = Stream.concat(users.stream(), Stream.of(owner))
                    .sorted((a, b) -> a.value().compareTo(b.value())).toList();
            assertEquals(expected, rooms.members(room.roomId(), "join"));
        }

        @Test
        void forgetOnlyAfterLeaveOrBanAndUntilTheNextMembership() {
            UserId owner = uniqueUser("owner");
            RoomHistory room = RoomHistory.create(events, unique("forget"), owner, 8);
            UserId carol = uniqueUser("carol");
            room.membership(carol, carol, "join");
            assertFalse(rooms.forget(room.roomId(), carol));
            room.membership(carol, carol, "leave");
            assertTrue(rooms.forget(room.roomId(), carol));
            assertTrue(rooms.membershipsOf(carol).isEmpty());
            assertEquals("leave", rooms.membership(room.roomId(), carol).orElseThrow().membership());
            room.membership(carol, carol, "join");
            assertEquals(List.of(room.roomId()), rooms.membershipsOf(carol).stream().map(MembershipRow::roomId).toList());

            UserId erin = uniqueUser("erin");
            room.membership(erin, erin, "join");
            room.membership(owner, erin, "ban");
            assertTrue(rooms.forget(room.roomId(), erin));
            assertTrue(rooms.membershipsOf(erin).isEmpty());

            UserId frank = uniqueUser("frank");
            room.membership(owner, frank, "invite");
            assertFalse(rooms.forget(room.roomId(), frank));
            assertFalse(rooms.forget(room.roomId(), uniqueUser("stranger")));
            assertFalse(rooms.forget(UNKNOWN, carol));
        }

        @Test
        void aliasesAreFirstComeAndExact() {
            RoomAlias alias = RoomAlias.of("#" + unique("lobby") + ":example.org");
            assertEquals(Optional.empty(), rooms.roomForAlias(alias));
            assertTrue(rooms.createAlias(alias, s.room.roomId(), s.alice));
            assertFalse(rooms.createAlias(alias, s.other.roomId(), s.bob));
            assertEquals(Optional.of(s.room.roomId()), rooms.roomForAlias(alias));
            RoomAlias upper = RoomAlias.of(alias.value().toUpperCase().replace("EXAMPLE.ORG", "example.org"));
            assertEquals(Optional.empty(), rooms.roomForAlias(upper));
            assertTrue(rooms.createAlias(upper, s.other.roomId(), s.bob));
            assertEquals(Optional.of(s.other.roomId()), rooms.roomForAlias(upper));
            assertEquals(Optional.of(s.room.roomId()), rooms.roomForAlias(alias));
        }

        @Test
        void moveAliasesPointsEveryAliasOfARoomAtAnother() {
            RoomAlias b = RoomAlias.of("#" + unique("b-move") + ":example.org");
            RoomAlias a = RoomAlias.of("#" + unique("a-move") + ":example.org");
            RoomAlias elsewhere = RoomAlias.of("#" + unique("stay") + ":example.org");
            assertTrue(rooms.createAlias(b, s.room.roomId(), s.alice));
            assertTrue(rooms.createAlias(a, s.room.roomId(), s.alice));
            assertTrue(rooms.createAlias(elsewhere, s.other.roomId(), s.bob));
            assertEquals(List.of(a, b), rooms.aliasesOf(s.room.roomId()).stream()
                    .filter(x -> x.equals(a) || x.equals(b)).toList());
            int before = rooms.aliasesOf(s.room.roomId()).size();
            RoomId replacement = RoomId.of("!" + unique("replacement") + ":example.org");
            assertEquals(before, rooms.moveAliases(s.room.roomId(), replacement));
            assertEquals(List.of(), rooms.aliasesOf(s.room.roomId()));
            assertEquals(Optional.of(replacement), rooms.roomForAlias(a));
            assertEquals(Optional.of(replacement), rooms.roomForAlias(b));
            assertEquals(Optional.of(s.other.roomId()), rooms.roomForAlias(elsewhere));
            assertEquals(0, rooms.moveAliases(s.room.roomId(), replacement));
            rooms.moveAliases(replacement, s.room.roomId());
        }
    }
}
