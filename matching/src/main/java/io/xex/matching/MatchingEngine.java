package io.xex.matching;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * The matching engine: every symbol's price-time-priority book, every account's balances, and the rules
 * of SPEC §3–4, as one deterministic state machine. {@link #apply} takes a command with its sequence
 * number and timestamp and reports every outcome to the {@link EngineListener}; the same commands in the
 * same order always give the same events and the same {@link #stateHash()}.
 *
 * <p>There is no clock, I/O, logging or threading in here. Steady-state matching allocates nothing:
 * orders and price levels come from pools.
 *
 * <p>Owned by the matching thread; not thread-safe.
 */
public final class MatchingEngine {
    /** Longest client order id, in characters. */
    public static final int MAX_CLIENT_ORDER_ID_LENGTH = 36;
    /** Highest maker or taker fee, in basis points. */
    public static final int MAX_FEE_BPS = 1_000;

    private static final int BPS = 10_000;

    private final EngineConfig config;
    private final EngineListener listener;
    private final boolean enforceBalances;
    private final int assetCount;

    // The state, package-private for EngineSnapshot.
    final OrderBook[] books;
    final LongObjectMap<Account> accounts;
    final OrderIndex orders;
    final ClientOrderIdIndex clientOrderIds;
    final OrderPool orderPool;
    final LevelPool levelPool;
    /** Per asset: deposits less withdrawals, which every balance together must add up to. */
    final long[] assetTotals;
    Account feeAccount;
    long lastTradeId;
    /** The reference of the last accepted {@link Command.Transfer}; 0 before the first. */
    long lastTransferReference;
    /** The earliest time a guard halt ends, {@code Long.MAX_VALUE} when none is running; may be early, never late. */
    long nextHaltEndNs = Long.MAX_VALUE;

    /** Sequence number and timestamp of the command being applied. */
    private long sequence;
    private long nowNs;

    public MatchingEngine(EngineConfig config, EngineListener listener) {
        this.config = Objects.requireNonNull(config, "config");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.enforceBalances = config.enforceBalances();
        this.assetCount = config.assets().size();
        List<InstrumentSpec> instruments = config.instruments();
        this.books = new OrderBook[instruments.size()];
        for (int i = 0; i < books.length; i++) {
            InstrumentSpec spec = instruments.get(i);
            books[i] = new OrderBook(i, spec,
                spec.quoteUnitsPerTickLot(config.assets().get(spec.baseAsset()).decimals()));
        }
        int capacity = config.initialOrderCapacity();
        this.accounts = new LongObjectMap<>(1024);
        this.orders = new OrderIndex(capacity);
        this.clientOrderIds = new ClientOrderIdIndex(capacity);
        this.orderPool = new OrderPool(capacity);
        this.levelPool = new LevelPool(Math.max(64, capacity / 8));
        this.assetTotals = new long[assetCount];
        openFeeAccount();
    }

    private void openFeeAccount() {
        feeAccount = new Account(config.feeAccountId(), 0, 0, StpMode.NONE, assetCount);
        accounts.putNew(feeAccount.id, feeAccount);
    }

    /**
     * Writes the whole state to {@code out}, so that {@link #readSnapshot} makes an engine that answers every
     * future command exactly as this one would. Call between commands, on the matching thread; it allocates
     * nothing per order. The format (versioned, with the configuration's assets and instruments as its
     * identity) is described in the package-private {@code EngineSnapshot}.
     */
    public void writeSnapshot(DataOutput out) throws IOException {
        EngineSnapshot.write(this, out);
    }

    /**
     * An engine restored from what {@link #writeSnapshot} wrote. Throws {@link IllegalArgumentException} for
     * a snapshot taken under another configuration of assets and instruments, or one that is truncated or
     * inconsistent; the new engine reports nothing to {@code listener} while it is restored.
     */
    public static MatchingEngine readSnapshot(EngineConfig config, EngineListener listener, DataInput in)
        throws IOException {
        return EngineSnapshot.read(config, listener, in);
    }

    /**
     * Applies one command. {@code sequence} and {@code timestampNs} come from the sequencer, are echoed on
     * every event the command causes, and are the engine's only notion of order and time.
     */
    public void apply(long sequence, long timestampNs, Command command) {
        this.sequence = sequence;
        this.nowNs = timestampNs;
        if (timestampNs >= nextHaltEndNs) {
            endGuardHalts();
        }
        switch (command) {
            case Command.PlaceOrder c -> place(c);
            case Command.CancelOrder c -> cancel(c);
            case Command.ReduceOrder c -> reduce(c);
            case Command.AmendOrder c -> amend(c);
            case Command.CancelAll c -> cancelAll(c);
            case Command.CreateAccount c -> createAccount(c);
            case Command.Deposit c -> deposit(c);
            case Command.Withdraw c -> withdraw(c);
            case Command.SetTradingState c -> setTradingState(c);
            case Command.SetReferencePrice c -> setReferencePrice(c);
            case Command.ApplyMultiplier c -> applyMultiplier(c);
            case Command.Transfer c -> transfer(c);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Orders

    private void place(Command.PlaceOrder c) {
        OrderBook book = book(c.instrumentId());
        if (book == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_INSTRUMENT);
            return;
        }
        Account account = accounts.get(c.accountId());
        if (account == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_ACCOUNT);
            return;
        }
        if (!book.state.acceptsOrders()) {
            reject(c, stateReject(book));
            return;
        }
        Side side = c.side();
        TimeInForce timeInForce = c.timeInForce();
        long quantity = c.quantity();
        long budget = c.quoteBudget();
        long limit;
        RejectReason invalid;
        if (c.type() == OrderType.LIMIT) {
            limit = c.price();
            invalid = budget != 0 ? RejectReason.REQUEST_INVALID_QUOTE_BUDGET : checkLimit(book, limit, quantity);
        } else {
            limit = side == Side.BUY ? Math.min(book.executionHigh, book.spec.maxPrice()) : Math.max(book.executionLow, 1);
            invalid = checkMarket(book, side, timeInForce, quantity, budget);
            if (budget != 0) {
                quantity = book.spec.maxQuantity();
            }
        }
        if (invalid == null) {
            invalid = checkIds(c, account);
        }
        if (invalid == null && (timeInForce == TimeInForce.GTC || timeInForce == TimeInForce.POST_ONLY)
            && account.openOrders >= config.maxOpenOrdersPerAccount()) {
            invalid = RejectReason.RISK_TOO_MANY_OPEN_ORDERS;
        }
        if (invalid == null && timeInForce == TimeInForce.POST_ONLY && crosses(book, side, limit)) {
            invalid = RejectReason.MATCHING_POST_ONLY_WOULD_CROSS;
        }
        long lock = 0;
        int lockAsset = side == Side.BUY ? book.quoteAsset : book.baseAsset;
        if (invalid == null && enforceBalances) {
            if (side == Side.SELL) {
                lock = quantity * book.lotSize;
            } else {
                lock = budget != 0 ? budget
                    : book.maxCost(limit, quantity, Math.max(account.makerFeeBps, account.takerFeeBps));
            }
            if (account.available[lockAsset] < lock) {
                invalid = RejectReason.RISK_INSUFFICIENT_FUNDS;
            }
        }
        if (invalid != null) {
            reject(c, invalid);
            return;
        }

        Order order = orderPool.take();
        order.id = c.orderId();
        order.accountId = account.id;
        order.clientOrderId = c.clientOrderId();
        order.book = book;
        order.account = account;
        order.side = side;
        order.type = c.type();
        order.timeInForce = timeInForce;
        order.price = limit;
        order.quantity = quantity;
        order.remaining = quantity;
        order.quoteBudget = budget;
        order.budgetLeft = budget;
        order.makerFeeBps = enforceBalances ? account.makerFeeBps : 0;
        order.takerFeeBps = enforceBalances ? account.takerFeeBps : 0;
        order.locked = 0;
        if (lock != 0) {
            order.locked = lock;
            account.available[lockAsset] -= lock;
            account.locked[lockAsset] += lock;
            balanceChanged(account, lockAsset);
        }
        listener.onOrderAccepted(sequence, nowNs, order);

        if (timeInForce == TimeInForce.FOK && !canFillCompletely(book, order, limit)) {
            finish(order, DoneReason.EXPIRED_FOK);
            return;
        }
        // A MARKET order's price is its band edge, which sizes its lock; the band itself is what stops it.
        long matchLimit = order.type == OrderType.LIMIT ? limit : side == Side.BUY ? book.spec.maxPrice() : 1;
        DoneReason stopped = match(book, order, matchLimit);
        if (order.remaining == 0) {
            finish(order, DoneReason.FILLED);
        } else if (stopped != null) {
            finish(order, stopped);
        } else if (timeInForce == TimeInForce.GTC || timeInForce == TimeInForce.POST_ONLY) {
            register(order);
            rest(order);
        } else {
            finish(order, DoneReason.EXPIRED_IOC);
        }
    }

    private RejectReason checkLimit(OrderBook book, long price, long quantity) {
        if (price <= 0 || price > book.spec.maxPrice()) {
            return RejectReason.REQUEST_INVALID_PRICE;
        }
        RejectReason invalid = checkQuantity(book, quantity);
        if (invalid != null) {
            return invalid;
        }
        if (book.value(price, quantity) < book.spec.minNotional()) {
            return RejectReason.REQUEST_NOTIONAL_BELOW_MIN;
        }
        if (book.bands != null) {
            if (book.referencePrice == 0) {
                return RejectReason.TRADING_NO_REFERENCE_PRICE;
            }
            if (price < book.entryLow || price > book.entryHigh) {
                return RejectReason.TRADING_PRICE_OUTSIDE_ENTRY_BAND;
            }
        }
        return null;
    }

    private static RejectReason checkMarket(OrderBook book, Side side, TimeInForce timeInForce, long quantity,
                                            long budget) {
        if (timeInForce != TimeInForce.IOC) {
            return RejectReason.REQUEST_INVALID_TIME_IN_FORCE;
        }
        if (book.state == TradingState.CLOSED_UNDERLYING) {
            return RejectReason.TRADING_MARKET_ORDERS_CLOSED_UNDERLYING;
        }
        if (book.bands != null && book.referencePrice == 0) {
            return RejectReason.TRADING_NO_REFERENCE_PRICE;
        }
        if (budget == 0) {
            return checkQuantity(book, quantity);
        }
        if (side != Side.BUY || quantity != 0 || budget < 0 || budget > InstrumentSpec.MAX_ORDER_VALUE) {
            return RejectReason.REQUEST_INVALID_QUOTE_BUDGET;
        }
        if (budget < book.spec.minNotional()) {
            return RejectReason.REQUEST_NOTIONAL_BELOW_MIN;
        }
        return null;
    }

    private static RejectReason checkQuantity(OrderBook book, long quantity) {
        if (quantity <= 0) {
            return RejectReason.REQUEST_INVALID_QUANTITY;
        }
        if (quantity < book.spec.minQuantity()) {
            return RejectReason.REQUEST_QUANTITY_BELOW_MIN;
        }
        if (quantity > book.spec.maxQuantity()) {
            return RejectReason.REQUEST_QUANTITY_ABOVE_MAX;
        }
        return null;
    }

    private RejectReason checkIds(Command.PlaceOrder c, Account account) {
        String clientOrderId = c.clientOrderId();
        if (clientOrderId != null) {
            if (clientOrderId.isEmpty() || clientOrderId.length() > MAX_CLIENT_ORDER_ID_LENGTH) {
                return RejectReason.REQUEST_CLIENT_ORDER_ID_INVALID;
            }
            if (clientOrderIds.get(account.id, clientOrderId) != null) {
                return RejectReason.REQUEST_DUPLICATE_CLIENT_ORDER_ID;
            }
        }
        if (orders.get(c.orderId()) != null) {
            return RejectReason.REQUEST_DUPLICATE_ORDER_ID;
        }
        return null;
    }

    private static RejectReason stateReject(OrderBook book) {
        return book.state == TradingState.CANCEL_ONLY ? RejectReason.TRADING_CANCEL_ONLY : RejectReason.TRADING_HALTED;
    }

    private static boolean crosses(OrderBook book, Side side, long limit) {
        Level best = side == Side.BUY ? book.asks.best() : book.bids.best();
        return best != null && (side == Side.BUY ? best.price <= limit : best.price >= limit);
    }

    /**
     * Matches an incoming order against the opposite side up to {@code limit}. Returns why it stopped
     * early with quantity left (self-trade prevention, a band, the guard, a spent budget), or
     * {@code null} when it stopped because it was filled or nothing more crosses.
     */
    private DoneReason match(OrderBook book, Order taker, long limit) {
        boolean buy = taker.side == Side.BUY;
        BookSide opposite = buy ? book.asks : book.bids;
        boolean banded = book.bands != null;
        long executionLimit = buy ? book.executionHigh : book.executionLow;
        StpMode stpMode = taker.account.stpMode;
        Level level;
        while ((level = opposite.best()) != null) {
            long price = level.price;
            if (buy ? price > limit : price < limit) {
                return null;
            }
            if (banded) {
                if (buy ? price > executionLimit : price < executionLimit) {
                    return DoneReason.EXPIRED_EXECUTION_BAND;
                }
                if (guardTrips(book, price)) {
                    haltByGuard(book);
                    return DoneReason.EXPIRED_VOLATILITY_HALT;
                }
            }
            Order maker = level.head;
            while (maker != null) {
                Order next = maker.next;
                if (maker.accountId == taker.accountId && stpMode != StpMode.NONE) {
                    if (stpMode == StpMode.EXPIRE_TAKER) {
                        return DoneReason.EXPIRED_SELF_TRADE;
                    }
                    removeResting(maker, DoneReason.EXPIRED_SELF_TRADE);
                    if (stpMode == StpMode.EXPIRE_BOTH) {
                        return DoneReason.EXPIRED_SELF_TRADE;
                    }
                    maker = next;
                    continue;
                }
                long quantity = Math.min(taker.remaining, maker.remaining);
                if (taker.quoteBudget != 0) {
                    quantity = Math.min(quantity, affordable(book, taker, price));
                    if (quantity == 0) {
                        return DoneReason.EXPIRED_BUDGET_SPENT;
                    }
                }
                trade(book, level, taker, maker, price, quantity);
                if (maker.remaining == 0) {
                    removeResting(maker, DoneReason.FILLED);
                }
                if (taker.remaining == 0) {
                    return null;
                }
                maker = next;
            }
        }
        return null;
    }

    /**
     * Whether a FOK order would trade its whole quantity now, given bands, the volatility guard and
     * self-trade prevention. A FOK that could only fill past the guard is killed without halting.
     */
    private boolean canFillCompletely(OrderBook book, Order taker, long limit) {
        boolean buy = taker.side == Side.BUY;
        BookSide opposite = buy ? book.asks : book.bids;
        boolean banded = book.bands != null;
        long bound = !banded ? limit
            : buy ? Math.min(limit, book.executionHigh) : Math.max(limit, book.executionLow);
        StpMode stpMode = taker.account.stpMode;
        long needed = taker.remaining;
        for (int depth = 0; depth < opposite.levelCount(); depth++) {
            Level level = opposite.levelAt(depth);
            if (buy ? level.price > bound : level.price < bound) {
                return false;
            }
            if (banded && guardWouldTrip(book, opposite.levelAt(0).price, level.price)) {
                return false;
            }
            if (stpMode == StpMode.NONE) {
                needed -= level.quantity;
            } else {
                for (Order maker = level.head; maker != null; maker = maker.next) {
                    if (maker.accountId != taker.accountId) {
                        needed -= maker.remaining;
                    } else if (stpMode != StpMode.EXPIRE_MAKER) {
                        return false;
                    }
                    if (needed <= 0) {
                        return true;
                    }
                }
            }
            if (needed <= 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whole lots a MARKET buy's remaining budget pays for at {@code price}, its fee included, at most its
     * remaining quantity. The estimate {@code ⌊⌊left / perLot⌋ × 10,000 / (10,000 + fee)⌋} is at most two
     * lots short of the answer, so the adjustment below runs a few times at most.
     */
    private static long affordable(OrderBook book, Order taker, long price) {
        long perLot = price * book.quoteUnitsPerTickLot;
        long left = taker.budgetLeft;
        long lots = left / perLot;
        int feeBps = taker.takerFeeBps;
        if (feeBps != 0) {
            long divisor = BPS + feeBps;
            lots = lots / divisor * BPS + lots % divisor * BPS / divisor;
            while (cost(book, price, lots + 1, feeBps) <= left) {
                lots++;
            }
            while (lots > 0 && cost(book, price, lots, feeBps) > left) {
                lots--;
            }
        }
        return Math.min(lots, taker.remaining);
    }

    private static long cost(OrderBook book, long price, long quantity, int feeBps) {
        long value = book.value(price, quantity);
        return value + fee(value, feeBps);
    }

    /** {@code value × bps / 10,000} rounded down, without overflow. */
    static long fee(long value, int bps) {
        if (bps == 0) {
            return 0;
        }
        return value / BPS * bps + value % BPS * bps / BPS;
    }

    private void trade(OrderBook book, Level level, Order taker, Order maker, long price, long quantity) {
        taker.remaining -= quantity;
        maker.remaining -= quantity;
        level.quantity -= quantity;
        long value = book.value(price, quantity);
        long takerFee = fee(value, taker.takerFeeBps);
        long makerFee = fee(value, maker.makerFeeBps);
        if (taker.quoteBudget != 0) {
            taker.budgetLeft -= value + takerFee;
        }
        listener.onTrade(sequence, nowNs, ++lastTradeId, taker, maker, price, quantity, takerFee, makerFee);
        if (enforceBalances) {
            settle(book, taker, maker, value, quantity, takerFee, makerFee);
        }
        if (book.bands != null) {
            if (!guardWindowOpen(book)) {
                book.guardAnchorPrice = price;
                book.guardAnchorNs = nowNs;
            }
            if (book.state == TradingState.CLOSED_UNDERLYING && taker.accountId != maker.accountId) {
                followTradeWhileClosed(book, price);
            }
        }
    }

    /** Moves the money of one trade: the buyer's locked quote and the seller's locked base change hands. */
    private void settle(OrderBook book, Order taker, Order maker, long value, long quantity, long takerFee,
                        long makerFee) {
        boolean takerBuys = taker.side == Side.BUY;
        Order buyer = takerBuys ? taker : maker;
        Order seller = takerBuys ? maker : taker;
        long buyerFee = takerBuys ? takerFee : makerFee;
        long sellerFee = takerBuys ? makerFee : takerFee;
        int quote = book.quoteAsset;
        int base = book.baseAsset;
        long baseUnits = quantity * book.lotSize;
        Account buyerAccount = buyer.account;
        Account sellerAccount = seller.account;

        long cost = value + buyerFee;
        buyer.locked -= cost;
        buyerAccount.locked[quote] -= cost;
        if (buyer.quoteBudget == 0) {
            long keep = book.maxCost(buyer.price, buyer.remaining, buyer.lockFeeBps());
            long release = buyer.locked - keep;
            buyer.locked = keep;
            buyerAccount.locked[quote] -= release;
            buyerAccount.available[quote] += release;
        }
        buyerAccount.available[base] += baseUnits;

        seller.locked -= baseUnits;
        sellerAccount.locked[base] -= baseUnits;
        sellerAccount.available[quote] += value - sellerFee;

        balanceChanged(buyerAccount, quote);
        balanceChanged(buyerAccount, base);
        balanceChanged(sellerAccount, base);
        balanceChanged(sellerAccount, quote);
        long fees = takerFee + makerFee;
        if (fees != 0) {
            feeAccount.available[quote] += fees;
            balanceChanged(feeAccount, quote);
        }
    }

    private void cancel(Command.CancelOrder c) {
        Order order = find(c.accountId(), c.orderId(), c.clientOrderId());
        if (order == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_ORDER);
            return;
        }
        removeResting(order, DoneReason.CANCELLED);
    }

    private void reduce(Command.ReduceOrder c) {
        if (c.quantity() <= 0) {
            reject(c, RejectReason.REQUEST_INVALID_QUANTITY);
            return;
        }
        Order order = find(c.accountId(), c.orderId(), null);
        if (order == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_ORDER);
            return;
        }
        if (c.quantity() >= order.remaining) {
            removeResting(order, DoneReason.REDUCED_TO_ZERO);
            return;
        }
        long previous = order.remaining;
        reduceInPlace(order, c.quantity());
        listener.onOrderReduced(sequence, nowNs, order, previous);
    }

    /** Takes {@code cut} lots off a resting order where it stands, and releases the funds they held. */
    private void reduceInPlace(Order order, long cut) {
        order.remaining -= cut;
        order.quantity -= cut;
        order.level.quantity -= cut;
        if (enforceBalances) {
            OrderBook book = order.book;
            long keep = order.side == Side.BUY
                ? book.maxCost(order.price, order.remaining, order.lockFeeBps())
                : order.remaining * book.lotSize;
            releaseFunds(order, order.locked - keep);
        }
    }

    private void amend(Command.AmendOrder c) {
        Order order = find(c.accountId(), c.orderId(), c.clientOrderId());
        if (order == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_ORDER);
            return;
        }
        long newPrice = c.newPrice();
        long newQuantity = c.newQuantity();
        if (newQuantity <= 0) {
            reject(c, RejectReason.REQUEST_INVALID_QUANTITY);
            return;
        }
        if (newPrice == order.price && newQuantity == order.quantity) {
            reject(c, RejectReason.REQUEST_AMEND_NOTHING_TO_CHANGE);
            return;
        }
        long filled = order.quantity - order.remaining;
        long newRemaining = newQuantity - filled;
        long previousPrice = order.price;
        long previousQuantity = order.quantity;
        if (newRemaining <= 0) {
            // At or below what has traded: the order ends, as a cancel would, in any trading state.
            removeResting(order, DoneReason.REDUCED_TO_ZERO);
            return;
        }
        if (newPrice == order.price && newQuantity < order.quantity) {
            reduceInPlace(order, order.remaining - newRemaining);
            listener.onOrderAmended(sequence, nowNs, order, previousPrice, previousQuantity, true);
            return;
        }

        OrderBook book = order.book;
        RejectReason invalid = book.state.acceptsOrders() ? checkLimit(book, newPrice, newQuantity) : stateReject(book);
        if (invalid == null && order.timeInForce == TimeInForce.POST_ONLY
            && crosses(book, order.side, newPrice)) {
            invalid = RejectReason.MATCHING_POST_ONLY_WOULD_CROSS;
        }
        long newLock = 0;
        if (invalid == null && enforceBalances) {
            newLock = order.side == Side.BUY
                ? book.maxCost(newPrice, newRemaining, order.lockFeeBps())
                : newRemaining * book.lotSize;
            int asset = order.side == Side.BUY ? book.quoteAsset : book.baseAsset;
            if (newLock - order.locked > order.account.available[asset]) {
                invalid = RejectReason.RISK_INSUFFICIENT_FUNDS;
            }
        }
        if (invalid != null) {
            reject(c, invalid);
            return;
        }

        detachFromLevel(order);
        if (enforceBalances) {
            long more = newLock - order.locked;
            if (more > 0) {
                lockFunds(order, more);
            } else if (more < 0) {
                releaseFunds(order, -more);
            }
        }
        order.price = newPrice;
        order.quantity = newQuantity;
        order.remaining = newRemaining;
        listener.onOrderAmended(sequence, nowNs, order, previousPrice, previousQuantity, false);

        DoneReason stopped = match(book, order, newPrice);
        if (order.remaining == 0) {
            unregister(order);
            finish(order, DoneReason.FILLED);
        } else if (stopped != null) {
            unregister(order);
            finish(order, stopped);
        } else {
            rest(order);
        }
    }

    private void cancelAll(Command.CancelAll c) {
        Account account = accounts.get(c.accountId());
        if (account == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_ACCOUNT);
            return;
        }
        int instrumentId = c.instrumentId();
        if (instrumentId != Command.CancelAll.ALL_INSTRUMENTS && book(instrumentId) == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_INSTRUMENT);
            return;
        }
        Order order = account.ordersHead;
        while (order != null) {
            Order next = order.accountNext;
            if (instrumentId == Command.CancelAll.ALL_INSTRUMENTS || order.book.instrumentId == instrumentId) {
                removeResting(order, DoneReason.CANCELLED_ALL);
            }
            order = next;
        }
    }

    private Order find(long accountId, long orderId, String clientOrderId) {
        Order order = orderId != 0 ? orders.get(orderId)
            : clientOrderId != null ? clientOrderIds.get(accountId, clientOrderId) : null;
        return order != null && order.accountId == accountId ? order : null;
    }

    // ---------------------------------------------------------------------------------------------
    // An order's life on the book

    /** Makes an order findable by id, client order id and account. */
    private void register(Order order) {
        orders.add(order);
        if (order.clientOrderId != null) {
            clientOrderIds.add(order);
        }
        order.account.link(order);
    }

    private void unregister(Order order) {
        orders.remove(order);
        if (order.clientOrderId != null) {
            clientOrderIds.remove(order);
        }
        order.account.unlink(order);
    }

    /** Puts a registered order at the back of its price level's queue. */
    private void rest(Order order) {
        order.book.side(order.side).levelFor(order.price, levelPool).append(order);
        listener.onOrderRested(sequence, nowNs, order);
    }

    private void detachFromLevel(Order order) {
        Level level = order.level;
        level.quantity -= order.remaining;
        level.unlink(order);
        if (level.isEmpty()) {
            order.book.side(order.side).remove(level);
            levelPool.release(level);
        }
    }

    private void removeResting(Order order, DoneReason reason) {
        detachFromLevel(order);
        unregister(order);
        finish(order, reason);
    }

    /** Ends an order that is no longer on the book: releases its funds, reports it, pools it. */
    private void finish(Order order, DoneReason reason) {
        if (order.quoteBudget != 0) {
            order.quantity -= order.remaining;
            order.remaining = 0;
        }
        if (order.locked != 0) {
            releaseFunds(order, order.locked);
        }
        listener.onOrderDone(sequence, nowNs, order, reason);
        orderPool.release(order);
    }

    private void lockFunds(Order order, long amount) {
        Account account = order.account;
        int asset = order.side == Side.BUY ? order.book.quoteAsset : order.book.baseAsset;
        order.locked += amount;
        account.available[asset] -= amount;
        account.locked[asset] += amount;
        balanceChanged(account, asset);
    }

    private void releaseFunds(Order order, long amount) {
        if (amount == 0) {
            return;
        }
        Account account = order.account;
        int asset = order.side == Side.BUY ? order.book.quoteAsset : order.book.baseAsset;
        order.locked -= amount;
        account.locked[asset] -= amount;
        account.available[asset] += amount;
        balanceChanged(account, asset);
    }

    // ---------------------------------------------------------------------------------------------
    // Accounts

    private void createAccount(Command.CreateAccount c) {
        if (accounts.get(c.accountId()) != null) {
            reject(c, RejectReason.REQUEST_ACCOUNT_EXISTS);
            return;
        }
        if (c.makerFeeBps() < 0 || c.makerFeeBps() > MAX_FEE_BPS || c.takerFeeBps() < 0 || c.takerFeeBps() > MAX_FEE_BPS) {
            reject(c, RejectReason.REQUEST_INVALID_FEE_RATE);
            return;
        }
        accounts.putNew(c.accountId(), new Account(c.accountId(), c.makerFeeBps(), c.takerFeeBps(), c.stpMode(), assetCount));
        listener.onAccountCreated(sequence, nowNs, c.accountId());
    }

    private void deposit(Command.Deposit c) {
        Account account = accounts.get(c.accountId());
        RejectReason invalid = checkTransfer(account, c.asset(), c.amount());
        if (invalid == null && (account.available[c.asset()] > Long.MAX_VALUE - c.amount()
            || assetTotals[c.asset()] > InstrumentSpec.MAX_ORDER_VALUE - c.amount())) {
            invalid = RejectReason.RISK_BALANCE_OVERFLOW;
        }
        if (invalid != null) {
            reject(c, invalid);
            return;
        }
        account.available[c.asset()] += c.amount();
        assetTotals[c.asset()] += c.amount();
        balanceChanged(account, c.asset());
    }

    private void withdraw(Command.Withdraw c) {
        Account account = accounts.get(c.accountId());
        RejectReason invalid = checkTransfer(account, c.asset(), c.amount());
        if (invalid == null && account.available[c.asset()] < c.amount()) {
            invalid = RejectReason.RISK_INSUFFICIENT_FUNDS;
        }
        if (invalid != null) {
            reject(c, invalid);
            return;
        }
        account.available[c.asset()] -= c.amount();
        assetTotals[c.asset()] -= c.amount();
        balanceChanged(account, c.asset());
    }

    /**
     * An agreed movement between two accounts: both legs from available balances, all or nothing. The totals do
     * not change. Its reference must be above the last accepted one, which makes a resent transfer a refusal.
     */
    private void transfer(Command.Transfer c) {
        Account from = accounts.get(c.fromAccount());
        Account to = accounts.get(c.toAccount());
        RejectReason invalid = c.reference() <= lastTransferReference ? RejectReason.REQUEST_DUPLICATE_TRANSFER : null;
        if (invalid == null) {
            invalid = checkTransfer(from, c.asset(), c.amount());
        }
        if (invalid == null) {
            invalid = to == null ? RejectReason.REQUEST_UNKNOWN_ACCOUNT
                : c.counterAsset() < 0 || c.counterAsset() >= assetCount ? RejectReason.REQUEST_UNKNOWN_ASSET
                : c.counterAmount() < 0 ? RejectReason.REQUEST_INVALID_AMOUNT
                : from == to || c.counterAmount() > 0 && c.counterAsset() == c.asset() ? RejectReason.REQUEST_INVALID_TRANSFER
                : from.available[c.asset()] < c.amount() || to.available[c.counterAsset()] < c.counterAmount()
                    ? RejectReason.RISK_INSUFFICIENT_FUNDS
                : to.available[c.asset()] > Long.MAX_VALUE - c.amount()
                    || from.available[c.counterAsset()] > Long.MAX_VALUE - c.counterAmount()
                    ? RejectReason.RISK_BALANCE_OVERFLOW
                : null;
        }
        if (invalid != null) {
            reject(c, invalid);
            return;
        }
        lastTransferReference = c.reference();
        from.available[c.asset()] -= c.amount();
        to.available[c.asset()] += c.amount();
        balanceChanged(from, c.asset());
        balanceChanged(to, c.asset());
        if (c.counterAmount() > 0) {
            to.available[c.counterAsset()] -= c.counterAmount();
            from.available[c.counterAsset()] += c.counterAmount();
            balanceChanged(to, c.counterAsset());
            balanceChanged(from, c.counterAsset());
        }
    }

    private RejectReason checkTransfer(Account account, int asset, long amount) {
        if (account == null) {
            return RejectReason.REQUEST_UNKNOWN_ACCOUNT;
        }
        if (asset < 0 || asset >= assetCount) {
            return RejectReason.REQUEST_UNKNOWN_ASSET;
        }
        return amount <= 0 ? RejectReason.REQUEST_INVALID_AMOUNT : null;
    }

    // ---------------------------------------------------------------------------------------------
    // Trading state, reference price, volatility guard

    private void setTradingState(Command.SetTradingState c) {
        OrderBook book = book(c.instrumentId());
        if (book == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_INSTRUMENT);
            return;
        }
        book.state = c.state();
        book.referenceMovedNs = nowNs;
        book.haltEndsNs = 0;
        book.stateAfterHalt = null;
        book.guardAnchorPrice = 0;
        book.updateBands();
        statusChanged(book);
    }

    private void setReferencePrice(Command.SetReferencePrice c) {
        OrderBook book = book(c.instrumentId());
        if (book == null) {
            reject(c, RejectReason.REQUEST_UNKNOWN_INSTRUMENT);
            return;
        }
        if (c.price() <= 0 || c.price() > book.spec.maxPrice()) {
            reject(c, RejectReason.REQUEST_INVALID_PRICE);
            return;
        }
        book.referencePrice = c.price();
        book.referenceMovedNs = nowNs;
        book.updateBands();
        statusChanged(book);
    }

    /**
     * A corporate action: the asset's multiplier changes by {@code numerator / denominator}. In one step,
     * for every instrument whose base is the asset: its state goes to HALTED (if it is not already) and
     * every resting order is cancelled with {@link DoneReason#CORPORATE_ACTION}, releasing its locks; then
     * every account's balance of the asset is multiplied by the ratio and rounded down to the engine's unit,
     * in ascending account id (one BalanceChanged each where it changed); then each instrument's reference
     * price is divided by the ratio, rounded half up to the tick and at least one tick, and reported while
     * still halted; then the state it had before comes back and is reported (a HALTED one stays, a guard
     * halt keeps its end).
     *
     * <p>Orders are cancelled rather than re-scaled: a re-scaled price leaves the tick grid and a re-scaled
     * quantity the lot grid, and an order priced before the action no longer means what its owner priced.
     * Rounding down leaves each account at most one unit short of the exact product, so the assets' total
     * never grows; the total is recomputed as the sum of the new balances. Rare, so it may allocate.
     */
    private void applyMultiplier(Command.ApplyMultiplier c) {
        int asset = c.asset();
        if (asset < 0 || asset >= assetCount) {
            reject(c, RejectReason.REQUEST_UNKNOWN_ASSET);
            return;
        }
        long numerator = c.numerator();
        long denominator = c.denominator();
        if (numerator <= 0 || denominator <= 0 || numerator == denominator
            || BigInteger.valueOf(numerator).gcd(BigInteger.valueOf(denominator)).longValue() != 1) {
            reject(c, RejectReason.REQUEST_INVALID_RATIO);
            return;
        }
        List<OrderBook> affected = new ArrayList<>();
        for (OrderBook book : books) {
            if (book.quoteAsset == asset) {
                reject(c, RejectReason.REQUEST_NOT_A_BASE_ASSET);
                return;
            }
            if (book.baseAsset == asset) {
                affected.add(book);
            }
        }
        if (affected.isEmpty()) {
            reject(c, RejectReason.REQUEST_NOT_A_BASE_ASSET);
            return;
        }
        BigInteger num = BigInteger.valueOf(numerator);
        BigInteger den = BigInteger.valueOf(denominator);
        long[] newReference = new long[affected.size()];
        for (int i = 0; i < newReference.length; i++) {
            OrderBook book = affected.get(i);
            newReference[i] = book.referencePrice == 0 ? 0 : Math.max(1, new BigDecimal(
                BigInteger.valueOf(book.referencePrice).multiply(den)).divide(new BigDecimal(num), 0,
                RoundingMode.HALF_UP).longValueExact());
            if (newReference[i] > book.spec.maxPrice()) {
                reject(c, RejectReason.REQUEST_INVALID_PRICE);
                return;
            }
        }
        // Orders are all cancelled, so locks of the asset vanish: each account's holding is what it holds in all.
        List<Account> holders = new ArrayList<>();
        BigInteger[] total = {BigInteger.ZERO};
        accounts.forEach(account -> {
            long held = account.available[asset] + account.locked[asset];
            if (held != 0) {
                holders.add(account);
                total[0] = total[0].add(BigInteger.valueOf(held));
            }
        });
        if (total[0].multiply(num).divide(den).compareTo(BigInteger.valueOf(InstrumentSpec.MAX_ORDER_VALUE)) > 0) {
            reject(c, RejectReason.RISK_BALANCE_OVERFLOW);
            return;
        }

        TradingState[] before = new TradingState[affected.size()];
        for (int i = 0; i < before.length; i++) {
            OrderBook book = affected.get(i);
            before[i] = book.state;
            if (book.state != TradingState.HALTED) {
                book.state = TradingState.HALTED;
                book.updateBands();
                statusChanged(book);
            }
            cancelResting(book.bids);
            cancelResting(book.asks);
        }
        holders.sort(Comparator.comparingLong(account -> account.id));
        long newTotal = 0;
        for (Account account : holders) {
            long held = account.available[asset];
            long scaled = BigInteger.valueOf(held).multiply(num).divide(den).longValueExact();
            account.available[asset] = scaled;
            newTotal += scaled;
            if (scaled != held) {
                balanceChanged(account, asset);
            }
        }
        assetTotals[asset] = newTotal;
        for (int i = 0; i < before.length; i++) {
            OrderBook book = affected.get(i);
            book.referencePrice = newReference[i];
            book.referenceMovedNs = nowNs;
            book.guardAnchorPrice = 0;
            book.updateBands();
            statusChanged(book);
            if (before[i] != TradingState.HALTED) {
                book.state = before[i];
                book.updateBands();
                statusChanged(book);
            }
        }
    }

    /** Cancels every order of one side, best first and in time priority within a level. */
    private void cancelResting(BookSide side) {
        Level level;
        while ((level = side.best()) != null) {
            removeResting(level.head, DoneReason.CORPORATE_ACTION);
        }
    }

    /**
     * While the underlying is closed, a trade between two accounts moves the reference
     * {@code closedReferenceWeightBps} of the way to its price for each {@code closedReferencePeriodNs}
     * since the reference last moved, pro rata and at most one period's worth, and at least one tick once a
     * whole period has passed. How far it can move is bounded by time, not by the number of trades, so
     * neither a burst of small fills nor an account trading with itself can walk it.
     */
    private void followTradeWhileClosed(OrderBook book, long price) {
        long reference = book.referencePrice;
        long period = book.bands.closedReferencePeriodNs();
        long elapsed = Math.min(nowNs - book.referenceMovedNs, period);
        if (elapsed <= 0 || price == reference) {
            return;
        }
        long gap = price - reference;
        long step = gap * book.bands.closedReferenceWeightBps() / BPS * (elapsed * BPS / period) / BPS;
        if (step == 0 && elapsed == period) {
            step = Long.signum(gap);
        }
        if (step != 0) {
            book.referencePrice = reference + step;
            book.referenceMovedNs = nowNs;
            book.updateBands();
            statusChanged(book);
        }
    }

    /**
     * Whether a trade at {@code price} would move the price too far within the guard's window. The window
     * opens at the first trade price after the previous one has run out.
     */
    private boolean guardTrips(OrderBook book, long price) {
        if (!guardWindowOpen(book)) {
            return false;
        }
        long move = Math.abs(price - book.guardAnchorPrice);
        return move * BPS > book.guardAnchorPrice * book.bands.guardMoveBps();
    }

    private boolean guardWindowOpen(OrderBook book) {
        return book.guardAnchorPrice != 0 && nowNs - book.guardAnchorNs < book.bands.guardWindowNs();
    }

    /** {@link #guardTrips} without opening a window: {@code firstPrice} is where one would open. */
    private boolean guardWouldTrip(OrderBook book, long firstPrice, long price) {
        long anchor = guardWindowOpen(book) ? book.guardAnchorPrice : firstPrice;
        return Math.abs(price - anchor) * BPS > anchor * book.bands.guardMoveBps();
    }

    private void haltByGuard(OrderBook book) {
        book.stateAfterHalt = book.state;
        book.state = TradingState.HALTED;
        book.haltEndsNs = nowNs + book.bands.guardHaltNs();
        book.guardAnchorPrice = 0;
        nextHaltEndNs = Math.min(nextHaltEndNs, book.haltEndsNs);
        book.updateBands();
        statusChanged(book);
    }

    private void endGuardHalts() {
        long next = Long.MAX_VALUE;
        for (OrderBook book : books) {
            if (book.haltEndsNs == 0) {
                continue;
            }
            if (nowNs >= book.haltEndsNs) {
                book.state = book.stateAfterHalt;
                book.stateAfterHalt = null;
                book.haltEndsNs = 0;
                book.updateBands();
                statusChanged(book);
            } else {
                next = Math.min(next, book.haltEndsNs);
            }
        }
        nextHaltEndNs = next;
    }

    // ---------------------------------------------------------------------------------------------
    // Events

    private void reject(Command command, RejectReason reason) {
        listener.onRejected(sequence, nowNs, command, reason);
    }

    private void balanceChanged(Account account, int asset) {
        listener.onBalanceChanged(sequence, nowNs, account.id, asset, account.available[asset], account.locked[asset]);
    }

    private void statusChanged(OrderBook book) {
        listener.onInstrumentStatus(sequence, nowNs, book.instrumentId, book.state, book.referencePrice,
            book.entryLow, book.entryHigh, book.executionLow, book.executionHigh);
    }

    private OrderBook book(int instrumentId) {
        return instrumentId >= 0 && instrumentId < books.length ? books[instrumentId] : null;
    }

    // ---------------------------------------------------------------------------------------------
    // Queries, for the runtime's snapshots and read models and for tests; call on the matching thread.

    /** Receives one price level: its price, total remaining quantity and number of orders. */
    @FunctionalInterface
    public interface LevelConsumer {
        void accept(long price, long quantity, int orderCount);
    }

    public EngineConfig config() {
        return config;
    }

    /** The id of the instrument with this symbol, or -1. */
    public int instrumentId(String symbol) {
        for (OrderBook book : books) {
            if (book.spec.symbol().equals(symbol)) {
                return book.instrumentId;
            }
        }
        return -1;
    }

    public TradingState tradingState(int instrumentId) {
        return requireBook(instrumentId).state;
    }

    /**
     * Whether the instrument is {@link TradingState#HALTED} by the volatility guard, a halt that ends by itself,
     * rather than by an operator's {@link Command.SetTradingState}.
     */
    public boolean haltedByGuard(int instrumentId) {
        return requireBook(instrumentId).haltEndsNs != 0;
    }

    public long referencePrice(int instrumentId) {
        return requireBook(instrumentId).referencePrice;
    }

    /** The price levels of one side, best first, at most {@code maxDepth} of them. */
    public void forEachLevel(int instrumentId, Side side, int maxDepth, LevelConsumer consumer) {
        BookSide bookSide = requireBook(instrumentId).side(side);
        int depth = Math.min(maxDepth, bookSide.levelCount());
        for (int i = 0; i < depth; i++) {
            Level level = bookSide.levelAt(i);
            consumer.accept(level.price, level.quantity, level.orderCount);
        }
    }

    /** The resting orders of one side in priority order. The views are valid only during the call. */
    public void forEachOrder(int instrumentId, Side side, Consumer<OrderView> consumer) {
        BookSide bookSide = requireBook(instrumentId).side(side);
        for (int i = 0; i < bookSide.levelCount(); i++) {
            for (Order order = bookSide.levelAt(i).head; order != null; order = order.next) {
                consumer.accept(order);
            }
        }
    }

    /**
     * The account's resting orders, newest first (the order a cancel-all reports them in). The views are
     * valid only during the call.
     */
    public void forEachOrderOf(long accountId, Consumer<OrderView> consumer) {
        for (Order order = requireAccount(accountId).ordersHead; order != null; order = order.accountNext) {
            consumer.accept(order);
        }
    }

    /** The instrument's price bands in ticks, as {@link EngineListener#onInstrumentStatus} reports them. */
    public Bands bands(int instrumentId) {
        OrderBook book = requireBook(instrumentId);
        return new Bands(book.entryLow, book.entryHigh, book.executionLow, book.executionHigh);
    }

    /**
     * Price bands in ticks: orders are accepted between the entry bounds and trade between the execution
     * bounds; without bands they are 0 and {@link Long#MAX_VALUE}.
     */
    public record Bands(long entryLow, long entryHigh, long executionLow, long executionHigh) {
    }

    /** The live order with this id, or {@code null}; the view is valid until the next command. */
    public OrderView order(long orderId) {
        return orders.get(orderId);
    }

    /** Orders resting on all books. */
    public int liveOrderCount() {
        return orders.size();
    }

    public boolean hasAccount(long accountId) {
        return accounts.get(accountId) != null;
    }

    public long available(long accountId, int asset) {
        return requireAccount(accountId).available[asset];
    }

    public long locked(long accountId, int asset) {
        return requireAccount(accountId).locked[asset];
    }

    /** Id of the last trade; trade ids start at 1 and have no gaps. */
    public long lastTradeId() {
        return lastTradeId;
    }

    private OrderBook requireBook(int instrumentId) {
        OrderBook book = book(instrumentId);
        if (book == null) {
            throw new IllegalArgumentException("no instrument " + instrumentId);
        }
        return book;
    }

    private Account requireAccount(long accountId) {
        Account account = accounts.get(accountId);
        if (account == null) {
            throw new IllegalArgumentException("no account " + accountId);
        }
        return account;
    }

    /**
     * A hash of the whole state: books with every order in priority order, trading states, reference
     * prices, guards, accounts with their balances and their resting orders in the order a cancel-all
     * reports them, and the trade counter. Two engines that applied the same
     * commands have the same hash; the order accounts were created in does not matter.
     */
    public long stateHash() {
        long h = mix(0x5EEDL, lastTradeId);
        h = mix(h, lastTransferReference);
        for (OrderBook book : books) {
            h = mix(h, book.instrumentId);
            h = mix(h, book.state.code());
            h = mix(h, book.referencePrice);
            h = mix(h, book.referenceMovedNs);
            h = mix(h, book.guardAnchorPrice);
            h = mix(h, book.guardAnchorPrice == 0 ? 0 : book.guardAnchorNs);
            h = mix(h, book.haltEndsNs);
            h = mix(h, book.stateAfterHalt == null ? -1 : book.stateAfterHalt.code());
            h = hashSide(h, book.bids);
            h = hashSide(h, book.asks);
        }
        long[] accountsHash = {0};
        accounts.forEach(account -> {
            long a = mix(0xACC0L, account.id);
            a = mix(a, account.makerFeeBps);
            a = mix(a, account.takerFeeBps);
            a = mix(a, account.stpMode.code());
            for (int asset = 0; asset < assetCount; asset++) {
                a = mix(a, account.available[asset]);
                a = mix(a, account.locked[asset]);
            }
            for (Order order = account.ordersHead; order != null; order = order.accountNext) {
                a = mix(a, order.id);
            }
            accountsHash[0] += a;
        });
        h = mix(h, accountsHash[0]);
        for (long total : assetTotals) {
            h = mix(h, total);
        }
        return h;
    }

    private static long hashSide(long h, BookSide side) {
        h = mix(h, side.levelCount());
        for (int i = 0; i < side.levelCount(); i++) {
            Level level = side.levelAt(i);
            h = mix(h, level.price);
            for (Order order = level.head; order != null; order = order.next) {
                h = mix(h, order.id);
                h = mix(h, order.accountId);
                h = mixChars(h, order.clientOrderId);
                h = mix(h, order.timeInForce.code());
                h = mix(h, order.quantity);
                h = mix(h, order.remaining);
                h = mix(h, order.locked);
                h = mix(h, order.makerFeeBps);
                h = mix(h, order.takerFeeBps);
            }
        }
        return h;
    }

    private static long mixChars(long h, String text) {
        if (text == null) {
            return mix(h, -1);
        }
        h = mix(h, text.length());
        for (int i = 0; i < text.length(); i++) {
            h = mix(h, text.charAt(i));
        }
        return h;
    }

    private static long mix(long h, long value) {
        long x = (h ^ value) * 0x9E3779B97F4A7C15L;
        x ^= x >>> 32;
        x *= 0xD6E8FEB86659FD93L;
        return x ^ (x >>> 29);
    }

    /**
     * Checks what must always hold, and throws {@link IllegalStateException} naming the first thing that
     * does not: books sorted, uncrossed and consistent with their orders; every index consistent; every
     * lock equal to what its order can still cost; every asset's balances adding up to its deposits less
     * its withdrawals; no negative balance. Walks the whole state: for tests and periodic runtime checks.
     */
    public void checkInvariants() {
        List<String> problems = new ArrayList<>();
        LongObjectMap<long[]> expectedLocks = new LongObjectMap<>(accounts.size());
        int[] resting = {0};
        int[] withClientId = {0};
        for (OrderBook book : books) {
            checkSide(book, book.bids, expectedLocks, resting, withClientId, problems);
            checkSide(book, book.asks, expectedLocks, resting, withClientId, problems);
            Level bid = book.bids.best();
            Level ask = book.asks.best();
            if (bid != null && ask != null && bid.price >= ask.price) {
                problems.add(book.spec.symbol() + ": book crossed, bid " + bid.price + " >= ask " + ask.price);
            }
        }
        if (resting[0] != orders.size()) {
            problems.add("order index holds " + orders.size() + " orders, books hold " + resting[0]);
        }
        if (withClientId[0] != clientOrderIds.size()) {
            problems.add("client order id index holds " + clientOrderIds.size() + ", books hold " + withClientId[0]);
        }
        long[] totals = new long[assetCount];
        accounts.forEach(account -> {
            int linked = 0;
            for (Order order = account.ordersHead; order != null; order = order.accountNext) {
                linked++;
                if (orders.get(order.id) != order) {
                    problems.add("account " + account.id + " links order " + order.id + " that is not live");
                }
            }
            if (linked != account.openOrders) {
                problems.add("account " + account.id + " counts " + account.openOrders + " open orders, links " + linked);
            }
            long[] expected = expectedLocks.get(account.id);
            for (int asset = 0; asset < assetCount; asset++) {
                if (account.available[asset] < 0 || account.locked[asset] < 0) {
                    problems.add("account " + account.id + " asset " + asset + " negative balance");
                }
                long expectedLock = expected == null ? 0 : expected[asset];
                if (enforceBalances && account.locked[asset] != expectedLock) {
                    problems.add("account " + account.id + " asset " + asset + " locked " + account.locked[asset]
                        + " but its orders can cost " + expectedLock);
                }
                totals[asset] += account.available[asset] + account.locked[asset];
            }
        });
        for (int asset = 0; asset < assetCount; asset++) {
            if (totals[asset] != assetTotals[asset]) {
                problems.add("asset " + asset + " balances add up to " + totals[asset] + ", deposits less withdrawals "
                    + assetTotals[asset]);
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    private void checkSide(OrderBook book, BookSide side, LongObjectMap<long[]> expectedLocks, int[] resting,
                           int[] withClientId, List<String> problems) {
        String name = book.spec.symbol() + " " + side.side;
        long previousPrice = -1;
        for (int i = 0; i < side.levelCount(); i++) {
            Level level = side.levelAt(i);
            if (previousPrice != -1 && (side.side == Side.BUY ? level.price >= previousPrice : level.price <= previousPrice)) {
                problems.add(name + ": level " + level.price + " out of order after " + previousPrice);
            }
            previousPrice = level.price;
            long quantity = 0;
            int count = 0;
            for (Order order = level.head; order != null; order = order.next) {
                count++;
                resting[0]++;
                quantity += order.remaining;
                if (order.clientOrderId != null) {
                    withClientId[0]++;
                    if (clientOrderIds.get(order.accountId, order.clientOrderId) != order) {
                        problems.add(name + ": order " + order.id + " missing from the client order id index");
                    }
                }
                if (order.level != level || order.price != level.price || order.side != side.side || order.book != book
                    || order.remaining <= 0 || order.remaining > order.quantity) {
                    problems.add(name + ": order " + order.id + " inconsistent with its level");
                }
                if (orders.get(order.id) != order) {
                    problems.add(name + ": order " + order.id + " missing from the order index");
                }
                long expectedLock = order.side == Side.BUY
                    ? book.maxCost(order.price, order.remaining, order.lockFeeBps())
                    : order.remaining * book.lotSize;
                if (enforceBalances) {
                    if (order.locked != expectedLock) {
                        problems.add(name + ": order " + order.id + " locks " + order.locked + ", can cost " + expectedLock);
                    }
                    long[] locks = expectedLocks.get(order.accountId);
                    if (locks == null) {
                        locks = new long[assetCount];
                        expectedLocks.putNew(order.accountId, locks);
                    }
                    locks[order.side == Side.BUY ? book.quoteAsset : book.baseAsset] += order.locked;
                }
            }
            if (count != level.orderCount || quantity != level.quantity || count == 0) {
                problems.add(name + ": level " + level.price + " counts " + level.orderCount + " orders and "
                    + level.quantity + " lots, holds " + count + " and " + quantity);
            }
        }
    }

    /**
     * Clears all state but the configuration, returning every order and level to the pools: a fresh engine
     * that keeps its pools and tables, so that it allocates only its new fee account. For benchmarks and
     * tests.
     */
    public void reset() {
        for (OrderBook book : books) {
            book.bids.clear(levelPool, orderPool);
            book.asks.clear(levelPool, orderPool);
            book.reset();
        }
        orders.clear();
        clientOrderIds.clear();
        accounts.clear();
        Arrays.fill(assetTotals, 0);
        lastTradeId = 0;
        lastTransferReference = 0;
        nextHaltEndNs = Long.MAX_VALUE;
        openFeeAccount();
    }
}
