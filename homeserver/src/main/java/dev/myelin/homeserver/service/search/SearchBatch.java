package dev.myelin.homeserver.service.search;

import dev.myelin.homeserver.http.MatrixException;
import dev.myelin.homeserver.storage.SearchStore.Order;

/**
 * The {@code next_batch} token of {@code /search}: for ranked results the number already
 * returned ({@code r<offset>}); for recent results the stream position to continue below
 * ({@code s<position>}), which stays right while new messages arrive.
 */
record SearchBatch(Order order, long value) {
    static SearchBatch first(Order order) {
        return new SearchBatch(order, order == Order.RANK ? 0 : Long.MAX_VALUE);
    }

    static SearchBatch parse(String text, Order order) {
        char expected = order == Order.RANK ? 'r' : 's';
        if (text == null || text.length() < 2 || text.charAt(0) != expected) {
            throw MatrixException.invalidParam("next_batch does not belong to this search");
        }
        try {
            long value = Long.parseLong(text.substring(1));
            if (value < 0 || (order == Order.RANK && value > Integer.MAX_VALUE)) {
                throw new NumberFormatException();
            }
            return new SearchBatch(order, value);
        } catch (NumberFormatException e) {
            throw MatrixException.invalidParam("Invalid next_batch");
        }
    }

    @Override
    public String toString() {
        return (order == Order.RANK ? "r" : "s") + value;
    }
}
