package io.xex.matching;

import java.util.Objects;

/**
 * What the engine is asked to do. Commands are immutable values: the sequencer journals them and hands
 * them to {@link MatchingEngine#apply(long, long, Command)} together with their sequence number and
 * timestamp, which are not part of the command itself.
 */
public sealed interface Command {

    /** Opens an account with a fee tier and a self-trade prevention mode. */
    record CreateAccount(long accountId, int makerFeeBps, int takerFeeBps, StpMode stpMode) implements Command {
        public CreateAccount {
            Objects.requireNonNull(stpMode, "stpMode");
        }

        /** An account with the default self-trade prevention, {@link StpMode#EXPIRE_TAKER}. */
        public CreateAccount(long accountId, int makerFeeBps, int takerFeeBps) {
            this(accountId, makerFeeBps, takerFeeBps, StpMode.DEFAULT);
        }
    }

    /** Credits {@code amount} units of {@code asset} to the account's available balance. */
    record Deposit(long accountId, int asset, long amount) implements Command {
    }

    /** Debits {@code amount} units of {@code asset} from the account's available balance. */
    record Withdraw(long accountId, int asset, long amount) implements Command {
    }

    /**
     * Enters an order. {@code orderId} is given by the sequencer and unique among live orders;
     * {@code clientOrderId} (at most {@link MatchingEngine#MAX_CLIENT_ORDER_ID_LENGTH} characters, may be
     * {@code null}) is unique among the account's live orders. A MARKET order takes {@code TimeInForce.IOC};
     * a MARKET buy may give {@code quoteBudget} (quote units) instead of a quantity, with quantity 0.
     * {@code price} is ignored for MARKET orders.
     */
    record PlaceOrder(long accountId, long orderId, String clientOrderId, int instrumentId, Side side,
                      OrderType type, TimeInForce timeInForce, long price, long quantity, long quoteBudget)
        implements Command {

        public PlaceOrder {
            Objects.requireNonNull(side, "side");
            Objects.requireNonNull(type, "type");
            Objects.requireNonNull(timeInForce, "timeInForce");
            if (orderId <= 0) {
                throw new IllegalArgumentException("orderId must be positive: " + orderId);
            }
        }

        /**
         * This order with another order id, everything else the same: the sequencer gives every order the
         * sequence number of the command that places it.
         */
        public PlaceOrder withOrderId(long orderId) {
            return new PlaceOrder(accountId, orderId, clientOrderId, instrumentId, side, type, timeInForce, price,
                quantity, quoteBudget);
        }

        /** A LIMIT order without a client order id. */
        public static PlaceOrder limit(long accountId, long orderId, int instrumentId, Side side,
                                       TimeInForce timeInForce, long price, long quantity) {
            return new PlaceOrder(accountId, orderId, null, instrumentId, side, OrderType.LIMIT, timeInForce,
                price, quantity, 0);
        }
    }

    /** Cancels a live order, named by {@code orderId}, or by {@code clientOrderId} when orderId is 0. */
    record CancelOrder(long accountId, long orderId, String clientOrderId) implements Command {
    }

    /**
     * Changes a live order's price and total quantity (lots traded so far included). A lower quantity at
     * the same price keeps time priority; a new price or a higher quantity loses it, and the order then
     * matches again as if it had just arrived. A quantity at or below what has already traded ends the
     * order.
     */
    record AmendOrder(long accountId, long orderId, String clientOrderId, long newPrice, long newQuantity)
        implements Command {
    }

    /** Removes {@code quantity} lots from a live order's remaining quantity, keeping its time priority. */
    record ReduceOrder(long accountId, long orderId, long quantity) implements Command {
    }

    /** Cancels every live order of the account, on one instrument or on all when instrumentId is -1. */
    record CancelAll(long accountId, int instrumentId) implements Command {
        public static final int ALL_INSTRUMENTS = -1;
    }

    /** An operator's or the market calendar's change of a symbol's trading state. */
    record SetTradingState(int instrumentId, TradingState state) implements Command {
        public SetTradingState {
            Objects.requireNonNull(state, "state");
        }
    }

    /** A new reference price, in ticks, from the reference feed. */
    record SetReferencePrice(int instrumentId, long price) implements Command {
    }

    /**
     * A corporate action on an xStock (a split, a reverse split, a dividend reinvestment): the token's
     * multiplier becomes {@code numerator / denominator} times what it was, a reduced fraction of positive
     * numbers. Every resting order of every instrument whose base is {@code asset} is cancelled, every
     * account's balance of the asset is multiplied by the ratio (rounded down to the engine's unit) and the
     * instruments' reference prices are divided by it (rounded to the tick), in one step; see
     * {@link MatchingEngine} and docs/issuer.md.
     */
    record ApplyMultiplier(int asset, long numerator, long denominator) implements Command {
    }

    /**
     * Moves money between two accounts by agreement, outside the book: the issuer's primary market (a mint's
     * payment, a redeem's exchange of tokens for USDT). {@code fromAccount} gives {@code amount} (positive) of
     * {@code asset} to {@code toAccount}, which gives {@code counterAmount} (zero for none) of
     * {@code counterAsset} back, all or nothing, from available balances. {@code reference} must be above the
     * last reference of an accepted transfer, so that a transfer sent again after a restart is refused rather
     * than applied twice (the issuer sends its requests one at a time in ascending reference).
     */
    record Transfer(long reference, long fromAccount, long toAccount, int asset, long amount, int counterAsset,
                    long counterAmount) implements Command {
    }
}
