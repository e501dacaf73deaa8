package dev.myelin.homeserver.service.sync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.myelin.homeserver.http.ErrCode;
import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.service.Streams;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** {@link SyncToken}: printing, parsing back, older forms, and rejecting what it never printed. */
class SyncTokenTest {

    @Test
    void printsEveryPosition() {
        assertEquals("s12_7_3_2_9_6", new SyncToken(12, 7, 3, 2, 9, 6).toString());
        assertEquals("s12_7_0_0_0_0", new SyncToken(12, 7).toString());
        assertEquals("s0_0_0_0_0_0", SyncToken.START.toString());
    }

    @Test
    void roundTrips() {
        for (SyncToken token : new SyncToken[] {SyncToken.START, new SyncToken(1, 0), new SyncToken(0, 9),
                new SyncToken(Long.MAX_VALUE, 123456789L), new SyncToken(5, 4, 3, 2, 1),
                new SyncToken(0, 0, 0, 0, Long.MAX_VALUE), new SyncToken(0, 0, 7, 0, 0),
                new SyncToken(0, 0, 0, 0, 0, 11)}) {
            assertEquals(token, SyncToken.parse(token.toString()));
        }
    }

    @Test
    void olderFormsStillParseWithZeroForTheMissingPositions() {
        assertEquals(new SyncToken(42, 0, 0, 0, 0), SyncToken.parse("s42"));
        assertEquals(new SyncToken(42, 6, 0, 0, 0), SyncToken.parse("s42_6"));
        assertEquals(new SyncToken(42, 6, 8, 0, 0), SyncToken.parse("s42_6_8"));
        assertEquals(new SyncToken(42, 6, 8, 1, 2, 0), SyncToken.parse("s42_6_8_1_2"));
    }

    @Test
    void withRoomEventsKeepsTheOtherStreams() {
        assertEquals(new SyncToken(3, 8, 1, 2, 4, 5), new SyncToken(10, 8, 1, 2, 4, 5).withRoomEvents(3));
        assertEquals(new SyncToken(10, 8, 1, 2, 4, 1), new SyncToken(10, 8, 1, 2, 4, 5).withToDevice(1));
    }

    @Test
    void currentReadsEveryStream() {
        Streams streams = new Streams(10, 20, 0, 30, 40);
        streams.typing().write(p -> p);
        streams.receipts().write(p -> p);
        assertEquals(new SyncToken(10, 20, 31, 1, 40), SyncToken.current(streams));
    }

    @Test
    void aBackfilledRoomPositionIsNegative() {
        // Events fetched from other servers before a room's known history sit below position 0.
        assertEquals(new SyncToken(-5, 0, 0, 0, 0), SyncToken.parse("s-5_0"));
        assertEquals("s-5_0_0_0_0_0", SyncToken.parse("s-5_0").toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "s", "12_7", "t12_7", "s12_", "s_7", "sx_1", "s-1_-1", "s1_-2", "s1.5_0",
            "s99999999999999999999_0", " s1_2", "S1_2", "s1_2_3_4_5_6_7", "s1_2_3_4_", "s1_2_x_4_5", "s1_2_3_-4_5",
            "s1__3"})
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
