package dev.myelin.federation.json;

import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * Matrix canonical JSON (server-server API, "Canonical JSON"; room versions 6+).
 *
 * <p>Object keys are sorted by Unicode code point, there is no insignificant whitespace, the
 * output is UTF-8 and strings use the shortest escapes (only {@code "}, {@code \} and control
 * characters are escaped). Numbers must be integers in the range
 * [-(2<sup>53</sup>)+1, 2<sup>53</sup>-1]; integral values written as floats ({@code 1e10},
 * {@code -0}) are written as plain integers. Anything else is rejected with
 * {@link IllegalArgumentException}.
 */
public final class CanonicalJson {
    /** The largest integer canonical JSON allows, 2<sup>53</sup>-1. */
    public static final long MAX_SAFE_INTEGER = (1L << 53) - 1;
    /** The smallest integer canonical JSON allows, -(2<sup>53</sup>)+1. */
    public static final long MIN_SAFE_INTEGER = -MAX_SAFE_INTEGER;

    private static final BigInteger MAX_BIG = BigInteger.valueOf(MAX_SAFE_INTEGER);
    private static final BigInteger MIN_BIG = BigInteger.valueOf(MIN_SAFE_INTEGER);
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    /** Orders strings by Unicode code point (which is also the order of their UTF-8 bytes). */
    public static final Comparator<String> CODE_POINT_ORDER = CanonicalJson::compareCodePoints;

    private CanonicalJson() {
    }

    /**
     * The shared, configured mapper: rejects duplicate keys and trailing tokens, reads integers
     * as int/long/BigInteger nodes and floats as exact decimals (so that {@code 1e10} can still be
     * canonicalised). Do not reconfigure it.
     */
    public static ObjectMapper mapper() {
        return MAPPER;
    }

    /** Encodes a JSON value as canonical JSON bytes (UTF-8). */
    public static byte[] encode(JsonNode node) {
        ByteSink out = new ByteSink(256);
        write(node, out);
        return out.toByteArray();
    }

    /** Encodes a JSON value as a canonical JSON string. */
    public static String encodeToString(JsonNode node) {
        return new String(encode(node), StandardCharsets.UTF_8);
    }

    /** Parses JSON text with {@link #mapper()}; throws {@link IllegalArgumentException} when invalid. */
    public static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
    }

    /** Parses JSON bytes with {@link #mapper()}; throws {@link IllegalArgumentException} when invalid. */
    public static JsonNode parse(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getMessage(), e);
        }
    }

    static int compareCodePoints(String a, String b) {
        int n = Math.min(a.length(), b.length());
        for (int i = 0; i < n; i++) {
            char x = a.charAt(i);
            char y = b.charAt(i);
            if (x != y) {
                boolean sx = Character.isSurrogate(x);
                boolean sy = Character.isSurrogate(y);
                if (sx != sy) {
                    return sx ? 1 : -1; // a surrogate encodes a code point above every BMP char
                }
                return x - y;
            }
        }
        return a.length() - b.length();
    }

    private static void write(JsonNode node, ByteSink out) {
        switch (node.getNodeType()) {
            case OBJECT -> writeObject(node, out);
            case ARRAY -> {
                out.write('[');
                boolean first = true;
                for (JsonNode element : node) {
                    if (!first) {
                        out.write(',');
                    }
                    first = false;
                    write(element, out);
                }
                out.write(']');
            }
            case STRING -> writeString(node.textValue(), out);
            case NUMBER -> writeNumber(node, out);
            case BOOLEAN -> out.writeAscii(node.booleanValue() ? "true" : "false");
            case NULL -> out.writeAscii("null");
            default -> throw new IllegalArgumentException("not representable in JSON: " + node.getNodeType());
        }
    }

    private static void writeObject(JsonNode node, ByteSink out) {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
        if (entries.size() > 1) {
            entries.sort((e1, e2) -> compareCodePoints(e1.getKey(), e2.getKey()));
        }
        out.write('{');
        for (int i = 0; i < entries.size(); i++) {
            if (i > 0) {
                out.write(',');
            }
            writeString(entries.get(i).getKey(), out);
            out.write(':');
            write(entries.get(i).getValue(), out);
        }
        out.write('}');
    }

    private static void writeNumber(JsonNode node, ByteSink out) {
        if (node.isIntegralNumber() && node.canConvertToLong()) {
            long value = node.longValue();
            if (value < MIN_SAFE_INTEGER || value > MAX_SAFE_INTEGER) {
                throw new IllegalArgumentException("integer out of the canonical JSON range: " + value);
            }
            out.writeAscii(Long.toString(value));
            return;
        }
        BigInteger integer;
        if (node.isBigInteger()) {
            integer = node.bigIntegerValue();
        } else {
            if (node.isDouble() || node.isFloat()) {
                double d = node.doubleValue();
                if (Double.isNaN(d) || Double.isInfinite(d)) {
                    throw new IllegalArgumentException("not a finite number: " + d);
                }
            }
            BigDecimal decimal = node.decimalValue();
            try {
                integer = decimal.toBigIntegerExact();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("canonical JSON allows only integers, not " + decimal.toPlainString());
            }
        }
        if (integer.compareTo(MIN_BIG) < 0 || integer.compareTo(MAX_BIG) > 0) {
            throw new IllegalArgumentException("integer out of the canonical JSON range: " + integer);
        }
        out.writeAscii(integer.toString());
    }

    private static void writeString(String s, ByteSink out) {
        out.write('"');
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (c == '"' || c == '\\') {
                    out.write('\\');
                    out.write(c);
                } else if (c >= 0x20) {
                    out.write(c);
                } else {
                    writeControl(c, out);
                }
            } else if (c < 0x800) {
                out.write(0xC0 | (c >> 6));
                out.write(0x80 | (c & 0x3F));
            } else if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 >= n || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    throw new IllegalArgumentException("string contains an unpaired surrogate");
                }
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out.write(0xF0 | (cp >> 18));
                out.write(0x80 | ((cp >> 12) & 0x3F));
                out.write(0x80 | ((cp >> 6) & 0x3F));
                out.write(0x80 | (cp & 0x3F));
            } else {
                out.write(0xE0 | (c >> 12));
                out.write(0x80 | ((c >> 6) & 0x3F));
                out.write(0x80 | (c & 0x3F));
            }
        }
        out.write('"');
    }

    private static void writeControl(char c, ByteSink out) {
        out.write('\\');
        switch (c) {
            case '\b' -> out.write('b');
            case '\f' -> out.write('f');
            case '\n' -> out.write('n');
            case '\r' -> out.write('r');
            case '\t' -> out.write('t');
            default -> {
                out.writeAscii("u00");
                out.write(HEX[c >> 4]);
                out.write(HEX[c & 0xF]);
            }
        }
    }

    /** A minimal unsynchronised growable byte buffer. */
    private static final class ByteSink {
        private byte[] buf;
        private int size;

        ByteSink(int capacity) {
            buf = new byte[capacity];
        }

        void write(int b) {
            if (size == buf.length) {
                buf = java.util.Arrays.copyOf(buf, buf.length * 2);
            }
            buf[size++] = (byte) b;
        }

        void writeAscii(String s) {
            for (int i = 0; i < s.length(); i++) {
                write(s.charAt(i));
            }
        }

        byte[] toByteArray() {
            return java.util.Arrays.copyOf(buf, size);
        }
    }
}
