package dev.myelin.homeserver.storage;

import java.text.Normalizer;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the user directory splits text into words: Unicode-normalized (NFKC), lower-cased, broken
 * at every character that is not a letter or digit. The same splitting applies to what is indexed
 * and to what is searched for, so matching is case-insensitive on both databases, and words hold
 * no SQL pattern characters.
 */
final class SearchWords {
    /** A search uses at most this many words of its term. */
    static final int MAX_TERM_WORDS = 8;

    private SearchWords() {
    }

    static List<String> of(String text) {
        Set<String> words = new LinkedHashSet<>();
        if (text == null) {
            return List.of();
        }
        String normalized = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        StringBuilder word = new StringBuilder();
        for (int i = 0; i < normalized.length(); ) {
            int cp = normalized.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetterOrDigit(cp)) {
                word.appendCodePoint(cp);
            } else if (!word.isEmpty()) {
                words.add(word.toString());
                word.setLength(0);
            }
        }
        if (!word.isEmpty()) {
            words.add(word.toString());
        }
        return List.copyOf(words);
    }

    /** The indexed form of a user: {@code " word1 word2 ... "} from the user ID and display name. */
    static String indexed(String userId, String displayname) {
        Set<String> words = new LinkedHashSet<>(of(userId));
        words.addAll(of(displayname));
        return " " + String.join(" ", words) + " ";
    }
}
