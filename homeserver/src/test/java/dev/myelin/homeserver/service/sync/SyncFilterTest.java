package dev.myelin.homeserver.service.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.myelin.federation.id.RoomId;
import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.Json;
import dev.myelin.homeserver.http.MatrixException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link SyncFilter}: the sections of a sync filter each land in their own {@link EventFilter}. */
class SyncFilterTest {
    private static final RoomId A = RoomId.of("!a:example.org");
    private static final RoomId B = RoomId.of("!b:example.org");

    @Test
    void defaultFiltersNothing() {
        for (SyncFilter filter : List.of(SyncFilter.DEFAULT, SyncFilter.parse(null), parse("{}"), parse("null"))) {
            assertSame(EventFilter.NONE, filter.timeline());
            assertSame(EventFilter.NONE, filter.state());
            assertSame(EventFilter.NONE, filter.accountData());
            assertSame(EventFilter.NONE, filter.roomAccountData());
            assertTrue(filter.rooms().allowsRoom(A));
            assertFalse(filter.includeLeave());
        }
    }

    @Test
    void eachSectionIsParsedIntoItsOwnFilter() {
        SyncFilter filter = parse("""
                {"account_data": {"types": ["m.direct"]},
                 "presence": {"not_types": ["*"]},
                 "room": {
                   "rooms": ["!a:example.org"],
                   "include_leave": true,
                   "timeline": {"limit": 3, "not_types": ["m.reaction"]},
                   "state": {"lazy_load_members": true},
                   "ephemeral": {"types": ["m.typing"]},
                   "account_data": {"types": ["m.tag"]}}}
                """);
        assertTrue(filter.accountData().matchesType("m.direct"));
        assertFalse(filter.accountData().matchesType("m.tag"));
        assertFalse(filter.presence().matchesType("m.presence"));
        assertEquals(3, filter.timeline().limit());
        assertFalse(filter.timeline().matchesType("m.reaction"));
        assertTrue(filter.timeline().matchesType("m.room.message"));
        assertTrue(filter.state().lazyLoadMembers());
        assertFalse(filter.timeline().lazyLoadMembers());
        assertTrue(filter.ephemeral().matchesType("m.typing"));
        assertFalse(filter.ephemeral().matchesType("m.receipt"));
        assertTrue(filter.roomAccountData().matchesType("m.tag"));
        assertFalse(filter.roomAccountData().matchesType("m.direct"));
        assertTrue(filter.rooms().allowsRoom(A));
        assertFalse(filter.rooms().allowsRoom(B));
        assertTrue(filter.includeLeave());
    }

    @Test
    void notRoomsExcludesRooms() {
        SyncFilter filter = parse("{\"room\":{\"not_rooms\":[\"!b:example.org\"]}}");
        assertTrue(filter.rooms().allowsRoom(A));
        assertFalse(filter.rooms().allowsRoom(B));
    }

    @Test
    void unknownFieldsAreIgnored() {
        SyncFilter filter = parse("{\"event_format\":\"client\",\"event_fields\":[\"content\"],\"x\":1}");
        assertSame(EventFilter.NONE, filter.timeline());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"x\"", "{\"room\":[]}", "{\"room\":{\"rooms\":\"!a:example.org\"}}",
            "{\"room\":{\"not_rooms\":[1]}}", "{\"room\":{\"timeline\":[]}}",
            "{\"room\":{\"timeline\":{\"limit\":\"3\"}}}", "{\"room\":{\"state\":{\"types\":{}}}}",
            "{\"account_data\":5}", "{\"presence\":{\"senders\":\"@a:b\"}}",
            "{\"room\":{\"account_data\":{\"limit\":-5}}}", "{\"room\":{\"ephemeral\":true}}"})
    void wrongTypesAreBadJson(String json) {
        MatrixException e = assertThrows(MatrixException.class, () -> parse(json));
        assertEquals(ErrCode.M_BAD_JSON, e.errcode());
    }

    private static SyncFilter parse(String json) {
        return SyncFilter.parse(Json.readTree(json));
    }
}
