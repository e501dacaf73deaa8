package dev.myelin.federation.crypto;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class Base64UnpaddedTest {
    private static final byte[] DATA = {(byte) 0xfb, (byte) 0xff, 0x01, 0x02};

    @Test
    void encodesWithoutPadding() {
        assertEquals("", Base64Unpadded.encode(new byte[0]));
        assertEquals("Zg", Base64Unpadded.encode("f".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("Zm8", Base64Unpadded.encode("fo".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("Zm9v", Base64Unpadded.encode("foo".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("+/8BAg", Base64Unpadded.encode(DATA));
        assertEquals("-_8BAg", Base64Unpadded.encodeUrlSafe(DATA));
    }

    @Test
    void decodesAllForms() {
        assertArrayEquals(DATA, Base64Unpadded.decode("+/8BAg"));
        assertArrayEquals(DATA, Base64Unpadded.decode("+/8BAg=="));
        assertArrayEquals(DATA, Base64Unpadded.decode("-_8BAg"));
        assertArrayEquals(DATA, Base64Unpadded.decode("-_8BAg=="));
        assertArrayEquals(new byte[0], Base64Unpadded.decode(""));
    }

    @Test
    void rejectsGarbage() {
        assertThrows(IllegalArgumentException.class, () -> Base64Unpadded.decode("a"));
        assertThrows(IllegalArgumentException.class, () -> Base64Unpadded.decode("ab$d"));
        assertThrows(IllegalArgumentException.class, () -> Base64Unpadded.decode("+_8BAg"));
        assertThrows(IllegalArgumentException.class, () -> Base64Unpadded.decode("Zg==="));
    }
}
