package dev.myelin.federation.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.myelin.federation.TestVectors;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class CanonicalJsonTest {

    @Test
    void specVectors() {
        JsonNode cases = TestVectors.get().get("canonical_json");
        assertTrue(cases.size() >= 5);
        for (JsonNode c : cases) {
            JsonNode input = CanonicalJson.parse(c.get("input").textValue());
            assertEquals(c.get("canonical").textValue(), CanonicalJson.encodeToString(input), c.toString());
        }
    }

    @Test
    void emptyAndNested() {
        assertEquals("{}", CanonicalJson.encodeToString(CanonicalJson.parse("{ }")));
        assertEquals("[1,[],{\"a\":null,\"b\":false}]",
                CanonicalJson.encodeToString(CanonicalJson.parse(" [1, [ ], {\"b\": false, \"a\": null}] ")));
    }

    @Test
    void escapesOnlyWhatIsNeeded() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("s", "q\"b\\n\nt\tc\u0001d\u001fe\u007f/é😀");
        assertEquals("{\"s\":\"q\\\"b\\\\n\\nt\\tc\\u0001d\\u001fe\u007f/é😀\"}", CanonicalJson.encodeToString(o));
    }

    @Test
    void keysSortedByCodePointNotUtf16() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("\uD83D\uDE00", 1); // U+1F600, UTF-16 surrogates sort below U+FB01 as code units
        o.put("\uFB01", 2);
        o.put("a", 3);
        assertEquals("{\"a\":3,\"\uFB01\":2,\"\uD83D\uDE00\":1}", CanonicalJson.encodeToString(o));
    }

    @Test
    void integerRange() {
        assertEquals("9007199254740991", CanonicalJson.encodeToString(CanonicalJson.parse("9007199254740991")));
        assertEquals("-9007199254740991", CanonicalJson.encodeToString(CanonicalJson.parse("-9007199254740991")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(CanonicalJson.parse("9007199254740992")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(CanonicalJson.parse("-9007199254740992")));
        assertThrows(IllegalArgumentException.class,
                () -> CanonicalJson.encode(JsonNodeFactory.instance.numberNode(new BigInteger("100000000000000000000"))));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(CanonicalJson.parse("1e20")));
    }

    @Test
    void rejectsFractions() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(CanonicalJson.parse("{\"a\":1.5}")));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(JsonNodeFactory.instance.numberNode(0.1)));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.encode(JsonNodeFactory.instance.numberNode(Double.NaN)));
        assertEquals("[0,2,100]", CanonicalJson.encodeToString(CanonicalJson.parse("[-0.0, 2.0, 1E2]")));
    }

    @Test
    void rejectsLoneSurrogate() {
        assertThrows(IllegalArgumentException.class,
                () -> CanonicalJson.encode(JsonNodeFactory.instance.textNode("a\uD800b")));
    }

    @Test
    void mapperRejectsDuplicateKeysAndTrailingTokens() {
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("{\"a\":1,\"a\":2}"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("{\"a\":1} x"));
        assertThrows(IllegalArgumentException.class, () -> CanonicalJson.parse("[NaN]"));
    }
}
