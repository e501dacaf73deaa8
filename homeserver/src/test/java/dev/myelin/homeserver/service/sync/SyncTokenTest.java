package dev.myelin.homeserver.service.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link SyncToken}: printing, parsing back, and rejecting what it never printed. */
class SyncTokenTest {

    @Test
    void printsBothPositions() {
        assertEquals("s12_7", new SyncToken(12, 7).toString());
        assertEquals("s0_0", SyncToken.START.toString());
    }

    @Test
    void roundTrips() {
        for (SyncToken token : new SyncToken[] {SyncToken.START, new SyncToken(1, 0), new SyncToken(0, 9),
                new SyncToken(Long.MAX_VALUE, 123456789L)}) {
            assertEquals(token, SyncToken.parse(token.toString()));
        }
    }

    @Test
    void tokenWithoutAccountDataPositionMeansZero() {
        assertEquals(new SyncToken(42, 0), SyncToken.parse("s42"));
    }

    @Test
    void withRoomEventsKeepsTheOtherStream() {
        assertEquals(new SyncToken(3, 8), new SyncToken(10, 8).withRoomEvents(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "12_7", "t12_7", "s12_", "s_7", "sx_1", "s-1_0", "s1_-2", "s1.5_0",
            "s99999999999999999999_0", " s1_2", "S1_2"})
    void malformedTokensAreInvalidParam(String text) {
        MatrixException e = assertThrows(MatrixException.class, () -> SyncToken.parse(text));
        assertEquals(ErrCode.M_INVALID_PARAM, e.errcode());
        assertEquals(400, e.status());
    }

    @Test
    void nullIsInvalidParam() {
        MatrixException e = assertThrows(MatrixException.class, () -> SyncToken.parse(null));
        assertEquals(ErrCode.M_INVALID_PARAM, e.errcode());
    }
}
