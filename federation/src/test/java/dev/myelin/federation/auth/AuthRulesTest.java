package dev.myelin.federation.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.RoomVersion;
import org.junit.jupiter.api.Test;

/** A hand-built room history with expectations worked out from the v10/v11 authorization rules. */
class AuthRulesTest {
    static final String ALICE = "@alice:a.example";
    static final String BOB = "@bob:b.example";
    static final String CAROL = "@carol:c.example";
    static final String DAVE = "@dave:d.example";
    static final String EVE = "@eve:a.example";
    static final String MEMBER = "m.room.member";
    static final String PL = "m.room.power_levels";
    static final String JOIN_RULES = "m.room.join_rules";

    /** create, creator join, power levels (alice 100, bob 50 after joining), invite-only. */
    static TestRoom v10Room() {
        TestRoom room = new TestRoom(RoomVersion.V10, "!room:a.example");
        room.allow(ALICE, "m.room.create", "", "{'creator':'@alice:a.example','room_version':'10'}");
        room.allow(ALICE, MEMBER, ALICE, "{'membership':'join'}");
        room.allow(ALICE, PL, "", "{'users':{'@alice:a.example':100},'events':{'m.room.power_levels':50}}");
        room.allow(ALICE, JOIN_RULES, "", "{'join_rule':'invite'}");
        return room;
    }

    static TestRoom v10RoomWithBob() {
        TestRoom room = v10Room();
        room.allow(ALICE, MEMBER, BOB, "{'membership':'invite'}");
        room.allow(BOB, MEMBER, BOB, "{'membership':'join'}");
        room.allow(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'events':{'m.room.power_levels':50}}");
        return room;
    }

    @Test
    void createEventRules() {
        TestRoom room = new TestRoom(RoomVersion.V10, "!room:a.example");
        room.deny("1.4", ALICE, "m.room.create", "", "{'room_version':'10'}");
        room.deny("1.3", ALICE, "m.room.create", "", "{'creator':'@alice:a.example','room_version':'99'}");
        room.deny("1.3", ALICE, "m.room.create", "", "{'creator':'@alice:a.example','room_version':10}");
        room.deny("1.2", BOB, "m.room.create", "", "{'creator':'@bob:b.example'}");
        Pdu create = room.allow(ALICE, "m.room.create", "", "{'creator':'@alice:a.example'}");
        room.deny("1.1", ALICE, "m.room.create", "", "{'creator':'@alice:a.example'}"); // has prev_events now
        assertEquals(RoomVersion.V10, create.roomVersion());
    }

    @Test
    void v11CreateWithoutCreatorAndImplicitCreator() {
        TestRoom room = new TestRoom(RoomVersion.V11, "!room:a.example");
        room.allow(ALICE, "m.room.create", "", "{'room_version':'11'}");
        room.deny("4.3.2", ALICE, MEMBER, BOB, "{'membership':'join'}");
        room.allow(ALICE, MEMBER, ALICE, "{'membership':'join'}");
        // no power levels yet: the creator (the create event's sender in v11) has 100, state_default is 0
        room.allow(ALICE, "m.room.name", "", "{'name':'Eleven'}");
        assertEquals(100, PowerLevels.fromState(room.state).userLevel(dev.myelin.federation.id.UserId.of(ALICE)));
        room.deny("4.3.4", BOB, MEMBER, BOB, "{'membership':'join'}"); // no join rules: treated as invite
        room.allow(ALICE, JOIN_RULES, "", "{'join_rule':'public'}");
        room.allow(BOB, MEMBER, BOB, "{'membership':'join'}");
        // state_default is 0 without a power levels event
        room.allow(BOB, "m.room.topic", "", "{'topic':'t'}");
    }

    @Test
    void creatorJoinOnlyRightAfterCreate() {
        TestRoom room = new TestRoom(RoomVersion.V10, "!room:a.example");
        room.allow(ALICE, "m.room.create", "", "{'creator':'@alice:a.example'}");
        room.deny("4.3.2", ALICE, MEMBER, BOB, "{'membership':'join'}");
        // v10 uses content.creator, so a v10 creator join by someone else is not the special case
        room.deny("4.3.4", BOB, MEMBER, BOB, "{'membership':'join'}");
    }

    @Test
    void missingCreateEvent() {
        TestRoom room = v10Room();
        Pdu msg = room.event(ALICE, "m.room.message", null, "{'body':'hi'}");
        room.state.remove(StateKey.create());
        room.deny("2.4", msg);
    }

    @Test
    void inviteOnlyRoom() {
        TestRoom room = v10Room();
        room.deny("4.3.4", BOB, MEMBER, BOB, "{'membership':'join'}");
        room.deny("4.3.2", ALICE, MEMBER, BOB, "{'membership':'join'}");
        room.deny("4.4.2", CAROL, MEMBER, BOB, "{'membership':'invite'}"); // invite by a non-member
        room.allow(ALICE, MEMBER, BOB, "{'membership':'invite'}");
        room.deny("4.4.3", ALICE, MEMBER, ALICE, "{'membership':'invite'}"); // target already joined
        room.allow(BOB, MEMBER, BOB, "{'membership':'join'}");
        room.allow(BOB, MEMBER, BOB, "{'membership':'join','displayname':'Bob'}"); // profile change
        room.allow(BOB, "m.room.message", null, "{'body':'hello'}");
        room.deny("7", BOB, "m.room.name", "", "{'name':'mine'}"); // state_default 50 > 0
        room.deny("5", CAROL, "m.room.message", null, "{'body':'let me in'}");
    }

    @Test
    void invitationCanBeRejected() {
        TestRoom room = v10Room();
        room.allow(ALICE, MEMBER, BOB, "{'membership':'invite'}");
        room.allow(BOB, MEMBER, BOB, "{'membership':'leave'}");
        room.deny("4.5.1", BOB, MEMBER, BOB, "{'membership':'leave'}"); // already left
        room.deny("4.5.1", CAROL, MEMBER, CAROL, "{'membership':'leave'}");
        room.deny("4.8", ALICE, MEMBER, ALICE, "{'membership':'dance'}");
        room.deny("4.1", ALICE, MEMBER, "not-a-user", "{'membership':'join'}");
        room.deny("4.1", ALICE, MEMBER, ALICE, "{'displayname':'no membership'}");
    }

    @Test
    void inviteLevel() {
        TestRoom room = v10RoomWithBob();
        room.allow(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'invite':60}");
        room.deny("4.4.5", BOB, MEMBER, CAROL, "{'membership':'invite'}");
        room.deny("6.1", BOB, "m.room.third_party_invite", "tok", "{'display_name':'c'}");
        room.allow(ALICE, MEMBER, CAROL, "{'membership':'invite'}");
    }

    @Test
    void publicRoomBanAndKick() {
        TestRoom room = v10RoomWithBob();
        room.allow(ALICE, JOIN_RULES, "", "{'join_rule':'public'}");
        room.allow(EVE, MEMBER, EVE, "{'membership':'join'}");
        room.allow(DAVE, MEMBER, DAVE, "{'membership':'join'}");
        room.deny("4.6.3", EVE, MEMBER, DAVE, "{'membership':'ban'}"); // eve has 0 < ban 50
        room.deny("4.6.1", CAROL, MEMBER, DAVE, "{'membership':'ban'}");
        room.allow(BOB, MEMBER, DAVE, "{'membership':'ban'}");
        assertEquals("ban", room.membership(DAVE));
        room.deny("4.3.3", DAVE, MEMBER, DAVE, "{'membership':'join'}");
        room.deny("5", DAVE, "m.room.message", null, "{'body':'let me back'}");
        room.deny("4.4.3", ALICE, MEMBER, DAVE, "{'membership':'invite'}");
        room.deny("4.5.1", DAVE, MEMBER, DAVE, "{'membership':'leave'}"); // cannot unban oneself
        room.deny("4.5.3", EVE, MEMBER, DAVE, "{'membership':'leave'}"); // unban needs the ban level
        room.deny("4.5.5", EVE, MEMBER, BOB, "{'membership':'leave'}"); // kick with insufficient power
        room.deny("4.5.5", BOB, MEMBER, ALICE, "{'membership':'leave'}"); // target has more power
        room.deny("4.6.3", BOB, MEMBER, ALICE, "{'membership':'ban'}");
        room.allow(BOB, MEMBER, EVE, "{'membership':'leave'}"); // kick: 50 >= 50 and 0 < 50
        room.allow(BOB, MEMBER, DAVE, "{'membership':'leave'}"); // unban: 50 >= ban and kick
        room.allow(DAVE, MEMBER, DAVE, "{'membership':'join'}");
    }

    @Test
    void stateKeysStartingWithAt() {
        TestRoom room = v10RoomWithBob();
        room.deny("8", BOB, "org.example.profile", ALICE, "{}");
        room.allow(BOB, "org.example.profile", BOB, "{}");
        room.deny("8", ALICE, "org.example.profile", "@alice", "{}"); // '@alice' is not exactly the sender
        room.allow(ALICE, "org.example.profile", "alice", "{}");
    }

    @Test
    void powerLevelEscalation() {
        TestRoom room = v10RoomWithBob(); // bob has 50, m.room.power_levels needs 50
        String base = "'events':{'m.room.power_levels':50}";
        room.deny("9.9.1", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':75}," + base + "}");
        room.deny("9.8.1", BOB, PL, "", "{'users':{'@alice:a.example':0,'@bob:b.example':50}," + base + "}");
        room.deny("9.8.1", BOB, PL, "", "{'users':{'@bob:b.example':50}," + base + "}"); // removing alice
        room.deny("9.5.2", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'ban':60," + base + "}");
        room.deny("9.7.1", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},"
                + "'events':{'m.room.power_levels':50,'m.room.name':51}}");
        room.deny("9.1", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'kick':'40'," + base + "}");
        room.deny("9.2", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},"
                + "'events':{'m.room.power_levels':'50'}}");
        room.deny("9.2", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'notifications':5," + base + "}");
        room.deny("9.3", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'carol':1}," + base + "}");
        room.deny("9.3", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':true}," + base + "}");
        room.allow(BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50,'@carol:c.example':50},"
                + "'kick':40," + base + "}");
        room.allow(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'ban':100," + base + "}");
        room.deny("9.5.1", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},'ban':50," + base + "}");
        room.allow(ALICE, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50},"
                + "'events':{'m.room.power_levels':50,'m.room.name':100}}");
        room.deny("9.6.1", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':50}," + base + "}");
        // lowering one's own level is allowed
        room.allow(BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':10},"
                + "'events':{'m.room.power_levels':50,'m.room.name':100}}");
        room.deny("7", BOB, PL, "", "{'users':{'@alice:a.example':100,'@bob:b.example':10},"
                + "'events':{'m.room.power_levels':50,'m.room.name':100}}");
    }

    @Test
    void eveIsNotJoinedSoRuleFive() {
        TestRoom room = v10RoomWithBob();
        room.deny("5", EVE, PL, "", "{'users':{'@eve:a.example':100}}");
    }

    @Test
    void federateFalse() {
        TestRoom room = new TestRoom(RoomVersion.V10, "!room:a.example");
        room.allow(ALICE, "m.room.create", "", "{'creator':'@alice:a.example','m.federate':false}");
        room.allow(ALICE, MEMBER, ALICE, "{'membership':'join'}");
        room.allow(ALICE, JOIN_RULES, "", "{'join_rule':'public'}");
        room.deny("3", BOB, MEMBER, BOB, "{'membership':'join'}");
        room.allow(EVE, MEMBER, EVE, "{'membership':'join'}");
    }
}
