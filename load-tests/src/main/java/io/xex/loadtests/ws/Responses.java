package io.xex.loadtests.ws;

/**
 * Reads the few fields the harness needs from a frame without parsing it as JSON, so that the client spends as
 * little of the shared CPUs as it can and the same on both servers. The gateway writes {@code id} and
 * {@code status} first ({@code {"id":7,"status":200,"result":{"orderId":…}}}), the echo server too.
 *
 * <p>Stateless.
 */
final class Responses {
    static final long ABSENT = Long.MIN_VALUE;
    static final String ID = "\"id\":";
    static final String STATUS = "\"status\":";
    static final String CODE = "\"code\":";

    private Responses() {
    }

    /** The whole number right after the first {@code key} at or after {@code from}, or {@link #ABSENT}. */
    static long longAfter(String text, String key, int from) {
        int at = text.indexOf(key, from);
        if (at < 0) {
            return ABSENT;
        }
        int p = at + key.length();
        boolean negative = p < text.length() && text.charAt(p) == '-';
        if (negative) {
            p++;
        }
        int digits = p;
        long value = 0;
        while (p < text.length() && p - digits < 18) {
            char c = text.charAt(p);
            if (c < '0' || c > '9') {
                break;
            }
            value = value * 10 + (c - '0');
            p++;
        }
        if (p == digits) {
            return ABSENT;
        }
        return negative ? -value : value;
    }

    /** The request's id as it was written (digits, maybe a minus sign), or {@code null} when it has none. */
    static String idText(String text) {
        int at = text.indexOf(ID);
        if (at < 0) {
            return "null";
        }
        int start = at + ID.length();
        int p = start;
        while (p < text.length() && (Character.isDigit(text.charAt(p)) || text.charAt(p) == '-')) {
            p++;
        }
        return p == start ? "null" : text.substring(start, p);
    }
}
