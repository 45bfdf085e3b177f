package io.xex.protocol.client;

/**
 * The client-side rule for client order ids: at most {@value #MAX_LENGTH} printable ASCII characters
 * (0x21 to 0x7E, no space). A new order may have none (null or empty); ids starting with {@code '~'} name the venue's
 * quote orders and may be cancelled or amended but not used for a new order.
 */
final class ClOrdId {
    static final int MAX_LENGTH = 36;
    static final char RESERVED_PREFIX = '~';

    private ClOrdId() {
    }

    /** Checks the id of a new order. */
    static void checkNew(CharSequence clOrdId) {
        if (clOrdId == null || clOrdId.isEmpty()) {
            return;
        }
        checkChars(clOrdId);
        if (clOrdId.charAt(0) == RESERVED_PREFIX) {
            throw new IllegalArgumentException("clOrdId starting with '~' is reserved for quotes: " + clOrdId);
        }
    }

    /** Checks the id naming an existing order (cancel, amend): present and well formed. */
    static void checkExisting(CharSequence clOrdId) {
        if (clOrdId == null || clOrdId.isEmpty()) {
            throw new IllegalArgumentException("origClOrdId is empty");
        }
        checkChars(clOrdId);
    }

    private static void checkChars(CharSequence clOrdId) {
        int length = clOrdId.length();
        if (length > MAX_LENGTH) {
            throw new IllegalArgumentException("clOrdId longer than " + MAX_LENGTH + " characters: " + clOrdId);
        }
        for (int i = 0; i < length; i++) {
            char c = clOrdId.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                throw new IllegalArgumentException("clOrdId not printable ASCII at index " + i + ": " + clOrdId);
            }
        }
    }
}
