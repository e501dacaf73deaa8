package dev.myelin.homeserver.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** How the user directory splits names and terms into words. */
class SearchWordsTest {
    @Test
    void wordsAreLowerCasedAndSplitAtEverythingButLettersAndDigits() {
        assertEquals(List.of("bobby", "o", "brien", "2nd"), SearchWords.of("Bobby O'Brien (2nd)"));
        assertEquals(List.of("alice", "7", "example", "org"), SearchWords.of("@alice-7:example.org"));
        assertEquals(List.of(), SearchWords.of("%_ -- "));
        assertEquals(List.of(), SearchWords.of(null));
    }

    @Test
    void unicodeIsNormalizedAndCaseFoldedBeyondAscii() {
        assertEquals(List.of("ölçü", "straße"), SearchWords.of("ÖLÇÜ Straße"));
        assertEquals(List.of("file"), SearchWords.of("ﬁle"), "NFKC turns the ligature into letters");
        assertEquals(List.of("日本語", "名前"), SearchWords.of("日本語 名前"));
    }

    @Test
    void theIndexedFormHoldsEachWordOnceBetweenSpaces() {
        assertEquals(" alice 1 example org ", SearchWords.indexed("@alice-1:example.org", "Alice"));
        assertEquals(" bob 2 localhost bobby tables ", SearchWords.indexed("@bob-2:localhost", "Bobby Tables"));
        assertEquals(" carol localhost ", SearchWords.indexed("@carol:localhost", null));
    }
}
