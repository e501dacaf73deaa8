package dev.myelin.homeserver.service.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.crypto.SigningKey;
import dev.myelin.federation.event.Pdu;
import dev.myelin.federation.event.PduBuilder;
import dev.myelin.federation.event.RoomVersion;
import dev.myelin.federation.id.RoomId;
import dev.myelin.federation.id.ServerName;
import dev.myelin.federation.id.UserId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link EventFilter}: parsing a RoomEventFilter and matching events against it. */
class EventFilterTest {
    private static final SigningKey KEY = SigningKey.generate("test");
    private static final RoomId ROOM = RoomId.of("!room:example.org");
    private static final String ALICE = "@alice:example.org";
    private static final String BOB = "@bob:example.org";

    @Test
    void anEmptyTypesOrSendersListMatchesNothingWhileAnAbsentOneMatchesEverything() {
        EventFilter noTypes = EventFilter.parse(Json.readTree("{\"types\":[]}"));
        assertFalse(noTypes.matches(event(ALICE, "m.room.message")));
        assertFalse(noTypes.matchesType("m.presence"));
        EventFilter noSenders = EventFilter.parse(Json.readTree("{\"senders\":[]}"));
        assertFalse(noSenders.matches(event(ALICE, "m.room.message")));
        assertFalse(noSenders.matchesSender(BOB));
        EventFilter empty = EventFilter.parse(Json.readTree("{}"));
        assertTrue(empty.matches(event(ALICE, "m.room.message")));
        assertTrue(empty.matchesType("m.typing"));
        assertTrue(empty.matchesSender(BOB));
    }

    @Test
    void missingOrNullFilterMatchesEverything() {
        assertSame(EventFilter.NONE, EventFilter.parse(null));
        assertSame(EventFilter.NONE, EventFilter.parse(Json.readTree("null")));
        assertTrue(EventFilter.NONE.matches(event(ALICE, "m.room.message")));
        assertTrue(EventFilter.NONE.allowsRoom(ROOM));
        assertEquals(7, EventFilter.NONE.limitOr(7));
    }

    @Test
    void emptyObjectMatchesEverything() {
        EventFilter filter = parse("{}");
        assertTrue(filter.matches(event(BOB, "org.example.custom")));
        assertNull(filter.limit());
        assertFalse(filter.lazyLoadMembers());
    }

    @Test
    void typesAreExactUnlessTheyHoldAStar() {
        EventFilter filter = parse("{\"types\":[\"m.room.message\"]}");
        assertTrue(filter.matches(event(ALICE, "m.room.message")));
        assertFalse(filter.matches(event(ALICE, "m.room.message.extra")));
        assertFalse(filter.matches(event(ALICE, "m.room.messag")));
        assertFalse(filter.matchesType("m.reaction"));
    }

    @Test
    void starMatchesAnySequenceIncludingNone() {
        EventFilter filter = parse("{\"types\":[\"m.room.*\", \"*.custom\"]}");
        assertTrue(filter.matchesType("m.room.message"));
        assertTrue(filter.matchesType("m.room."));
        assertTrue(filter.matchesType("m.room.member"));
        assertTrue(filter.matchesType("org.example.custom"));
        assertFalse(filter.matchesType("m.roomy"));
        assertFalse(filter.matchesType("m.reaction"));
        assertTrue(parse("{\"types\":[\"*\"]}").matchesType("anything at all"));
    }

    @Test
    void dotsAndOtherRegexCharactersAreLiteral() {
        EventFilter filter = parse("{\"types\":[\"m.room.*\", \"a+b\"]}");
        assertFalse(filter.matchesType("mXroomYname"));
        assertTrue(filter.matchesType("a+b"));
        assertFalse(filter.matchesType("aab"));
    }

    @Test
    void notTypesWinOverTypes() {
        EventFilter filter = parse("{\"types\":[\"m.room.*\"],\"not_types\":[\"m.room.member\"]}");
        assertTrue(filter.matchesType("m.room.message"));
        assertFalse(filter.matchesType("m.room.member"));
        EventFilter everythingButState = parse("{\"not_types\":[\"m.room.*\"]}");
        assertTrue(everythingButState.matches(event(ALICE, "m.reaction")));
        assertFalse(everythingButState.matches(event(ALICE, "m.room.topic")));
        assertFalse(parse("{\"not_types\":[\"*\"]}").matchesType("m.reaction"));
    }

    @Test
    void sendersAndNotSenders() {
        EventFilter onlyAlice = parse("{\"senders\":[\"" + ALICE + "\"]}");
        assertTrue(onlyAlice.matches(event(ALICE, "m.room.message")));
        assertFalse(onlyAlice.matches(event(BOB, "m.room.message")));
        EventFilter notBob = parse("{\"not_senders\":[\"" + BOB + "\"]}");
        assertTrue(notBob.matches(event(ALICE, "m.room.message")));
        assertFalse(notBob.matches(event(BOB, "m.room.message")));
        EventFilter both = parse("{\"senders\":[\"" + ALICE + "\"],\"not_senders\":[\"" + ALICE + "\"]}");
        assertFalse(both.matches(event(ALICE, "m.room.message")));
    }

    @Test
    void roomsAndNotRooms() {
        RoomId other = RoomId.of("!other:example.org");
        EventFilter only = parse("{\"rooms\":[\"" + ROOM.value() + "\"]}");
        assertTrue(only.allowsRoom(ROOM));
        assertFalse(only.allowsRoom(other));
        EventFilter not = parse("{\"not_rooms\":[\"" + ROOM.value() + "\"]}");
        assertFalse(not.allowsRoom(ROOM));
        assertTrue(not.allowsRoom(other));
    }

    @Test
    void limitAndLazyLoading() {
        EventFilter filter = parse("{\"limit\":3,\"lazy_load_members\":true}");
        assertEquals(3, filter.limit());
        assertEquals(3, filter.limitOr(10));
        assertTrue(filter.lazyLoadMembers());
        assertEquals(0, parse("{\"limit\":0}").limit());
        assertNull(parse("{\"limit\":null}").limit());
    }

    @Test
    void queryCarriesTheSameRestrictions() {
        var query = parse("{\"types\":[\"a\"],\"not_types\":[\"b\"],\"senders\":[\"" + ALICE
                + "\"],\"not_senders\":[\"" + BOB + "\"]}").query();
        assertEquals(List.of("a"), query.types());
        assertEquals(List.of("b"), query.notTypes());
        assertEquals(List.of(ALICE), query.senders());
        assertEquals(List.of(BOB), query.notSenders());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"limit\":-1}", "{\"limit\":1.5}", "{\"limit\":\"10\"}", "{\"limit\":true}",
            "{\"limit\":99999999999}", "{\"types\":\"m.room.message\"}", "{\"types\":[1]}",
            "{\"not_types\":[null]}", "{\"senders\":{}}", "{\"not_senders\":[[\"x\"]]}", "{\"rooms\":7}",
            "{\"not_rooms\":[false]}", "[]", "\"filter\"", "5"})
    void badJsonTypesAreBadJson(String json) {
        MatrixException e = assertThrows(MatrixException.class, () -> parse(json));
        assertEquals(ErrCode.M_BAD_JSON, e.errcode());
        assertEquals(400, e.status());
    }

    private static EventFilter parse(String json) {
        return EventFilter.parse(Json.readTree(json));
    }

    private static Pdu event(String sender, String type) {
        return PduBuilder.create(RoomVersion.DEFAULT)
                .roomId(ROOM)
                .sender(UserId.of(sender))
                .type(type)
                .content(Json.object().put("body", "hi"))
                .prevEvents(List.of())
                .authEvents(List.of())
                .depth(1)
                .originServerTs(1)
                .origin(new ServerName("example.org"))
                .signingKey(KEY)
                .build();
    }
}
