package dev.myelin.homeserver.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The words of a search term, and the FTS5 query that asks for all of them. Each word is quoted,
 * so nothing a user types is read as FTS5 query syntax.
 */
public final class SearchTerms {
    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}_]+");
    /** A bound on the words used, so a pasted essay cannot become a huge query. */
    private static final int MAX_WORDS = 32;

    private SearchTerms() {
    }

    /** The term's words, lower-cased, in order, without repeats. */
    public static List<String> words(String term) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(term == null ? "" : term);
        while (m.find() && words.size() < MAX_WORDS) {
            String word = m.group().toLowerCase(Locale.ROOT);
            if (!words.contains(word)) {
                words.add(word);
            }
        }
        return words;
    }

    /** An FTS5 query matching rows with every word in one of the columns. */
    static String fts5Query(List<String> words, List<String> columns) {
        StringBuilder q = new StringBuilder("{").append(String.join(" ", columns)).append("} : (");
        for (int i = 0; i < words.size(); i++) {
            q.append(i == 0 ? "\"" : " \"").append(words.get(i)).append('"');
        }
        return q.append(')').toString();
    }
}
