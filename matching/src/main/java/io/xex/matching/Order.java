package io.xex.matching;

/**
 * An order while it is live, pooled and reused. Linked into its price level's FIFO queue and into its
 * account's list of resting orders.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class Order implements OrderView {
    long id;
    long accountId;
    String clientOrderId;
    OrderBook book;
    Account account;
    Side side;
    OrderType type;
    TimeInForce timeInForce;
    long price;
    long quantity;
    long remaining;
    long quoteBudget;
    /** Quote units not yet spent of a MARKET buy's budget. */
    long budgetLeft;
    /** Funds held for this order: quote units for a buy, base units for a sell. */
    long locked;
    int makerFeeBps;
    int takerFeeBps;

    Level level;
    Order prev;
    /** Next in the level's queue; next free order while pooled. */
    Order next;
    Order accountPrev;
    Order accountNext;

    void clear() {
        clientOrderId = null;
        book = null;
        account = null;
        level = null;
        prev = null;
        next = null;
        accountPrev = null;
        accountNext = null;
    }

    /** The fee rate the funds of a buy are locked at: the worse of its maker and taker rates. */
    int lockFeeBps() {
        return Math.max(makerFeeBps, takerFeeBps);
    }

    @Override
    public long orderId() {
        return id;
    }

    @Override
    public long accountId() {
        return accountId;
    }

    @Override
    public String clientOrderId() {
        return clientOrderId;
    }

    @Override
    public int instrumentId() {
        return book.instrumentId;
    }

    @Override
    public Side side() {
        return side;
    }

    @Override
    public OrderType type() {
        return type;
    }

    @Override
    public TimeInForce timeInForce() {
        return timeInForce;
    }

    @Override
    public long price() {
        return price;
    }

    @Override
    public long quantity() {
        return quantity;
    }

    @Override
    public long remaining() {
        return remaining;
    }

    @Override
    public long filled() {
        return quantity - remaining;
    }

    @Override
    public long quoteBudget() {
        return quoteBudget;
    }

    @Override
    public String toString() {
        return "Order[id=" + id + ", account=" + accountId + ", " + side + " " + type + " " + timeInForce
            + " price=" + price + " quantity=" + quantity + " remaining=" + remaining + "]";
    }
}
