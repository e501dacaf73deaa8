package dev.myelin.homeserver.service.directory;

import dev.myelin.homeserver.http.MatrixException;

/** The opaque {@code next_batch}/{@code prev_batch} tokens of {@code /publicRooms}: a position in the list. */
final class PageToken {
    private static final String PREFIX = "pr";

    private PageToken() {
    }

    static String of(int offset) {
        return PREFIX + offset;
    }

    /** The position a token names; 0 for none; M_INVALID_PARAM for a token this server did not make. */
    static int offset(String token) {
        if (token == null || token.isEmpty()) {
            return 0;
        }
        if (token.startsWith(PREFIX)) {
            try {
                int offset = Integer.parseInt(token.substring(PREFIX.length()));
                if (offset >= 0) {
                    return offset;
                }
            } catch (NumberFormatException ignored) {
                // falls through to the error
            }
        }
        throw MatrixException.invalidParam("Invalid pagination token: " + token);
    }
}
