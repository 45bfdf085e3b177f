package io.xex.matching;

/**
 * A read-only look at an order during a listener callback. The object behind it is pooled and reused:
 * a listener copies what it needs and never keeps the reference.
 */
public interface OrderView {
    long orderId();

    long accountId();

    /** The client's own id, or {@code null}. */
    String clientOrderId();

    int instrumentId();

    Side side();

    OrderType type();

    TimeInForce timeInForce();

    /** Limit price in ticks; for a MARKET order the protection price it was bounded by. */
    long price();

    /**
     * Total quantity in lots: what has traded plus what remains. A MARKET buy by quote budget counts the
     * instrument's maximum quantity as its quantity while it matches, and what it bought once it is done.
     */
    long quantity();

    /** Lots still open. */
    long remaining();

    /** Lots traded so far. */
    long filled();

    /** The quote budget of a MARKET buy by amount, in quote units; 0 otherwise. */
    long quoteBudget();
}
