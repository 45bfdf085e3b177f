package io.xex.gateway.binary;

import io.xex.matching.Side;

/**
 * A MassQuote's orders are ordinary orders of the account with reserved client order ids, one per symbol and
 * side: {@code ~q<securityId>b} and {@code ~q<securityId>a}. Client order ids starting with {@value #PREFIX}
 * are refused in NewOrder so that they stay the quotes'.
 */
final class Quotes {
    static final String PREFIX = "~";
    static final int MAX_PER_MESSAGE = 32;

    private Quotes() {
    }

    static String clientOrderId(int securityId, Side side) {
        return "~q" + Integer.toUnsignedString(securityId) + (side == Side.BUY ? "b" : "a");
    }
}
