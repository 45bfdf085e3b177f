package io.xex.matching;

/**
 * An account's fee tier, self-trade prevention mode, balances per asset (available and locked) and its
 * resting orders, linked so that a cancel-all touches only them.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
final class Account {
    final long id;
    final int makerFeeBps;
    final int takerFeeBps;
    final StpMode stpMode;
    final long[] available;
    final long[] locked;
    int openOrders;
    Order ordersHead;

    Account(long id, int makerFeeBps, int takerFeeBps, StpMode stpMode, int assets) {
        this.id = id;
        this.makerFeeBps = makerFeeBps;
        this.takerFeeBps = takerFeeBps;
        this.stpMode = stpMode;
        this.available = new long[assets];
        this.locked = new long[assets];
    }

    void link(Order order) {
        order.accountPrev = null;
        order.accountNext = ordersHead;
        if (ordersHead != null) {
            ordersHead.accountPrev = order;
        }
        ordersHead = order;
        openOrders++;
    }

    void unlink(Order order) {
        if (order.accountPrev == null) {
            ordersHead = order.accountNext;
        } else {
            order.accountPrev.accountNext = order.accountNext;
        }
        if (order.accountNext != null) {
            order.accountNext.accountPrev = order.accountPrev;
        }
        order.accountPrev = null;
        order.accountNext = null;
        openOrders--;
    }
}
