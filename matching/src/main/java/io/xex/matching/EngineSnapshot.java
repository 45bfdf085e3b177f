package io.xex.matching;

import java.io.DataInput;
import java.io.DataOutput;
import java.io.EOFException;
import java.io.IOException;
import java.io.UTFDataFormatException;
import java.util.Arrays;
import java.util.List;

/**
 * Writes and reads the whole state of a {@link MatchingEngine}, so that recovery can start from a snapshot
 * and replay only the journal after it. A restored engine answers every future command exactly as the
 * original would: same events, same {@link MatchingEngine#stateHash()}.
 *
 * <p>The format, big-endian through {@link DataOutput} ({@code utf} is {@link DataOutput#writeUTF}, an
 * enum is one byte by the stable codes below, {@code nullable utf} a boolean then the string if true):
 * <pre>
 * header      int magic 'XEXS', short version 2 (version 1, which has no lastTransferReference, is read too)
 * identity    boolean enforceBalances, long feeAccountId,
 *             int assets, each: utf symbol, int decimals,
 *             int instruments, each: utf symbol, int baseAsset, int quoteAsset, long tickSize, long lotSize
 * totals      long lastTradeId, long lastTransferReference, per asset: long deposits less withdrawals
 * accounts    int count, each in ascending id: long id, int makerFeeBps, int takerFeeBps, enum stpMode,
 *             per asset: long available, long locked
 * books       per instrument in id order: enum state, long referencePrice, long referenceMovedNs,
 *             long guardAnchorPrice, long guardAnchorNs, long haltEndsNs, enum stateAfterHalt (0 for none),
 *             then bids and asks, each: int levels, each from the worst price to the best: long price,
 *             int orders, each in time priority: long id, long accountId, nullable utf clientOrderId,
 *             enum type, enum timeInForce, long quantity, long remaining, long quoteBudget, long budgetLeft,
 *             long locked, int makerFeeBps, int takerFeeBps
 * order lists int accounts with resting orders, each: long accountId, int orders, their ids from the tail
 *             of the account's list to its head (linking each at the head rebuilds the same list, which is
 *             the order a cancel-all goes through)
 * trailer     int magic 'XEXE'
 * </pre>
 * An order's side and price are those of the side and level it is written under. Levels go from the worst
 * to the best because a side keeps them in that order, so restoring appends. Everything derived is
 * recomputed on restore: band edges, the next guard halt's end, level totals, indexes and open-order
 * counts. The identity section makes a snapshot refuse to load under a configuration whose assets or
 * instruments differ; limits, bands and capacities may change between a snapshot and its restore.
 *
 * <p>Enum codes: order type 1 LIMIT, 2 MARKET; time in force 1 GTC, 2 IOC, 3 FOK,
 * 4 POST_ONLY; STP mode 1 EXPIRE_TAKER, 2 EXPIRE_MAKER, 3 EXPIRE_BOTH, 4 NONE; trading state 1 OPEN,
 * 2 CLOSED_UNDERLYING, 3 HALTED, 4 CANCEL_ONLY. The same numbers as the command journal's.
 *
 * <p>Writing allocates only a sorted array of account ids. Used on the matching thread, between commands.
 */
final class EngineSnapshot {
    static final int MAGIC = 0x58455853;
    static final short VERSION = 2;
    static final int END_MAGIC = 0x58455845;

    private EngineSnapshot() {
    }

    // ---------------------------------------------------------------------------------------------
    // Writing

    static void write(MatchingEngine engine, DataOutput out) throws IOException {
        EngineConfig config = engine.config();
        int assetCount = config.assets().size();
        out.writeInt(MAGIC);
        out.writeShort(VERSION);
        writeIdentity(config, out);

        out.writeLong(engine.lastTradeId);
        out.writeLong(engine.lastTransferReference);
        for (long total : engine.assetTotals) {
            out.writeLong(total);
        }

        long[] accountIds = accountIds(engine);
        out.writeInt(accountIds.length);
        for (long id : accountIds) {
            Account account = engine.accounts.get(id);
            out.writeLong(account.id);
            out.writeInt(account.makerFeeBps);
            out.writeInt(account.takerFeeBps);
            out.writeByte(account.stpMode.code());
            for (int asset = 0; asset < assetCount; asset++) {
                out.writeLong(account.available[asset]);
                out.writeLong(account.locked[asset]);
            }
        }

        for (OrderBook book : engine.books) {
            out.writeByte(book.state.code());
            out.writeLong(book.referencePrice);
            out.writeLong(book.referenceMovedNs);
            out.writeLong(book.guardAnchorPrice);
            out.writeLong(book.guardAnchorNs);
            out.writeLong(book.haltEndsNs);
            out.writeByte(book.stateAfterHalt == null ? 0 : book.stateAfterHalt.code());
            writeSide(book.bids, out);
            writeSide(book.asks, out);
        }

        int withOrders = 0;
        for (long id : accountIds) {
            if (engine.accounts.get(id).ordersHead != null) {
                withOrders++;
            }
        }
        out.writeInt(withOrders);
        for (long id : accountIds) {
            Account account = engine.accounts.get(id);
            if (account.ordersHead == null) {
                continue;
            }
            out.writeLong(account.id);
            out.writeInt(account.openOrders);
            Order tail = account.ordersHead;
            while (tail.accountNext != null) {
                tail = tail.accountNext;
            }
            for (Order order = tail; order != null; order = order.accountPrev) {
                out.writeLong(order.id);
            }
        }
        out.writeInt(END_MAGIC);
    }

    private static void writeIdentity(EngineConfig config, DataOutput out) throws IOException {
        out.writeBoolean(config.enforceBalances());
        out.writeLong(config.feeAccountId());
        out.writeInt(config.assets().size());
        for (AssetSpec asset : config.assets()) {
            out.writeUTF(asset.symbol());
            out.writeInt(asset.decimals());
        }
        out.writeInt(config.instruments().size());
        for (InstrumentSpec instrument : config.instruments()) {
            out.writeUTF(instrument.symbol());
            out.writeInt(instrument.baseAsset());
            out.writeInt(instrument.quoteAsset());
            out.writeLong(instrument.tickSize());
            out.writeLong(instrument.lotSize());
        }
    }

    /** Account ids in ascending order, so that equal states give equal snapshots. */
    private static long[] accountIds(MatchingEngine engine) {
        long[] ids = new long[engine.accounts.size()];
        int[] count = {0};
        engine.accounts.forEach(account -> ids[count[0]++] = account.id);
        Arrays.sort(ids);
        return ids;
    }

    private static void writeSide(BookSide side, DataOutput out) throws IOException {
        int levels = side.levelCount();
        out.writeInt(levels);
        for (int depth = levels - 1; depth >= 0; depth--) {
            Level level = side.levelAt(depth);
            out.writeLong(level.price);
            out.writeInt(level.orderCount);
            for (Order order = level.head; order != null; order = order.next) {
                out.writeLong(order.id);
                out.writeLong(order.accountId);
                out.writeBoolean(order.clientOrderId != null);
                if (order.clientOrderId != null) {
                    out.writeUTF(order.clientOrderId);
                }
                out.writeByte(order.type.code());
                out.writeByte(order.timeInForce.code());
                out.writeLong(order.quantity);
                out.writeLong(order.remaining);
                out.writeLong(order.quoteBudget);
                out.writeLong(order.budgetLeft);
                out.writeLong(order.locked);
                out.writeInt(order.makerFeeBps);
                out.writeInt(order.takerFeeBps);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    static MatchingEngine read(EngineConfig config, EngineListener listener, DataInput in) throws IOException {
        Reading reading = new Reading(in);
        try {
            return reading.read(config, listener);
        } catch (EOFException e) {
            throw new IllegalArgumentException("snapshot truncated: it ends inside " + reading.section, e);
        } catch (UTFDataFormatException e) {
            throw new IllegalArgumentException("snapshot has a malformed string in " + reading.section, e);
        }
    }

    /** One restore, remembering which part it is in so that a truncated or corrupt snapshot says where. */
    private static final class Reading {
        private final DataInput in;
        String section = "the header";

        Reading(DataInput in) {
            this.in = in;
        }

        MatchingEngine read(EngineConfig config, EngineListener listener) throws IOException {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw corrupt("does not start with the snapshot magic: 0x" + Integer.toHexString(magic));
            }
            short version = in.readShort();
            if (version != VERSION && version != 1) {
                throw corrupt("has format version " + version + ", this engine reads 1 and " + VERSION);
            }
            section = "the configuration";
            readIdentity(config);

            MatchingEngine engine = new MatchingEngine(config, listener);
            int assetCount = config.assets().size();
            section = "the totals";
            engine.lastTradeId = in.readLong();
            engine.lastTransferReference = version == 1 ? 0 : in.readLong();
            for (int asset = 0; asset < assetCount; asset++) {
                engine.assetTotals[asset] = in.readLong();
            }
            readAccounts(engine, assetCount);
            long nextHaltEndNs = Long.MAX_VALUE;
            for (OrderBook book : engine.books) {
                readBook(engine, book);
                if (book.haltEndsNs != 0) {
                    nextHaltEndNs = Math.min(nextHaltEndNs, book.haltEndsNs);
                }
            }
            engine.nextHaltEndNs = nextHaltEndNs;
            readOrderLists(engine);
            section = "the trailer";
            int end = in.readInt();
            if (end != END_MAGIC) {
                throw corrupt("does not end with the snapshot trailer: 0x" + Integer.toHexString(end));
            }
            try {
                engine.checkInvariants();
            } catch (IllegalStateException e) {
                throw new IllegalArgumentException("snapshot is inconsistent: " + e.getMessage(), e);
            }
            return engine;
        }

        private void readIdentity(EngineConfig config) throws IOException {
            boolean enforceBalances = in.readBoolean();
            if (enforceBalances != config.enforceBalances()) {
                throw differs("enforceBalances " + enforceBalances, "enforceBalances " + config.enforceBalances());
            }
            long feeAccountId = in.readLong();
            if (feeAccountId != config.feeAccountId()) {
                throw differs("fee account " + feeAccountId, "fee account " + config.feeAccountId());
            }
            List<AssetSpec> assets = config.assets();
            int assetCount = in.readInt();
            if (assetCount != assets.size()) {
                throw differs(assetCount + " assets", assets.size() + " assets");
            }
            for (int i = 0; i < assetCount; i++) {
                String symbol = in.readUTF();
                int decimals = in.readInt();
                AssetSpec asset = assets.get(i);
                if (!symbol.equals(asset.symbol()) || decimals != asset.decimals()) {
                    throw differs("asset " + i + " " + symbol + " with " + decimals + " decimals",
                        "asset " + i + " " + asset.symbol() + " with " + asset.decimals() + " decimals");
                }
            }
            List<InstrumentSpec> instruments = config.instruments();
            int instrumentCount = in.readInt();
            if (instrumentCount != instruments.size()) {
                throw differs(instrumentCount + " instruments", instruments.size() + " instruments");
            }
            for (int i = 0; i < instrumentCount; i++) {
                String symbol = in.readUTF();
                int baseAsset = in.readInt();
                int quoteAsset = in.readInt();
                long tickSize = in.readLong();
                long lotSize = in.readLong();
                InstrumentSpec instrument = instruments.get(i);
                String was = describe(i, symbol, baseAsset, quoteAsset, tickSize, lotSize);
                String is = describe(i, instrument.symbol(), instrument.baseAsset(), instrument.quoteAsset(),
                    instrument.tickSize(), instrument.lotSize());
                if (!was.equals(is)) {
                    throw differs(was, is);
                }
            }
        }

        private static String describe(int id, String symbol, int baseAsset, int quoteAsset, long tickSize,
                                       long lotSize) {
            return "instrument " + id + " " + symbol + " (base asset " + baseAsset + ", quote asset " + quoteAsset
                + ", tick size " + tickSize + ", lot size " + lotSize + ")";
        }

        private void readAccounts(MatchingEngine engine, int assetCount) throws IOException {
            section = "the accounts";
            int count = in.readInt();
            if (count < 1) {
                throw corrupt("has " + count + " accounts, not even the fee account");
            }
            Account feeAccount = engine.feeAccount;
            boolean feeAccountSeen = false;
            long previousId = 0;
            for (int i = 0; i < count; i++) {
                long id = in.readLong();
                section = "account " + id;
                if (i > 0 && id <= previousId) {
                    throw corrupt("has account " + id + " after account " + previousId);
                }
                previousId = id;
                int makerFeeBps = in.readInt();
                int takerFeeBps = in.readInt();
                StpMode stpMode = stpMode(in.readByte());
                Account account;
                if (id == feeAccount.id) {
                    if (makerFeeBps != feeAccount.makerFeeBps || takerFeeBps != feeAccount.takerFeeBps
                        || stpMode != feeAccount.stpMode) {
                        throw corrupt("gives the fee account " + id + " fees or an STP mode of its own");
                    }
                    account = feeAccount;
                    feeAccountSeen = true;
                } else {
                    account = new Account(id, makerFeeBps, takerFeeBps, stpMode, assetCount);
                    engine.accounts.putNew(id, account);
                }
                for (int asset = 0; asset < assetCount; asset++) {
                    account.available[asset] = in.readLong();
                    account.locked[asset] = in.readLong();
                }
            }
            if (!feeAccountSeen) {
                throw corrupt("has no fee account " + feeAccount.id);
            }
        }

        private void readBook(MatchingEngine engine, OrderBook book) throws IOException {
            section = "book " + book.spec.symbol();
            book.state = tradingState(in.readByte());
            book.referencePrice = in.readLong();
            book.referenceMovedNs = in.readLong();
            book.guardAnchorPrice = in.readLong();
            book.guardAnchorNs = in.readLong();
            book.haltEndsNs = in.readLong();
            byte afterHalt = in.readByte();
            book.stateAfterHalt = afterHalt == 0 ? null : tradingState(afterHalt);
            if ((book.haltEndsNs != 0) != (book.stateAfterHalt != null)) {
                throw corrupt("has a halt end " + book.haltEndsNs + " with a state after it of " + book.stateAfterHalt);
            }
            book.updateBands();
            readSide(engine, book, book.bids);
            readSide(engine, book, book.asks);
        }

        private void readSide(MatchingEngine engine, OrderBook book, BookSide side) throws IOException {
            section = "book " + book.spec.symbol() + " " + side.side;
            int levels = in.readInt();
            if (levels < 0) {
                throw corrupt("has " + levels + " levels");
            }
            long previousPrice = 0;
            for (int i = 0; i < levels; i++) {
                long price = in.readLong();
                int count = in.readInt();
                if (price <= 0 || count <= 0 || (i > 0 && (side.side == Side.BUY ? price <= previousPrice
                    : price >= previousPrice))) {
                    throw corrupt("has a level of " + count + " orders at " + price + " after " + previousPrice);
                }
                previousPrice = price;
                Level level = side.levelFor(price, engine.levelPool);
                for (int j = 0; j < count; j++) {
                    level.append(readOrder(engine, book, side.side, price));
                }
            }
        }

        private Order readOrder(MatchingEngine engine, OrderBook book, Side side, long price) throws IOException {
            long id = in.readLong();
            long accountId = in.readLong();
            String clientOrderId = in.readBoolean() ? in.readUTF() : null;
            OrderType type = orderType(in.readByte());
            TimeInForce timeInForce = timeInForce(in.readByte());
            Account account = engine.accounts.get(accountId);
            if (account == null) {
                throw corrupt("has order " + id + " of account " + accountId + ", which it does not have");
            }
            if (engine.orders.get(id) != null) {
                throw corrupt("has order " + id + " twice");
            }
            if (clientOrderId != null && engine.clientOrderIds.get(accountId, clientOrderId) != null) {
                throw corrupt("has client order id " + clientOrderId + " of account " + accountId + " twice");
            }
            Order order = engine.orderPool.take();
            order.id = id;
            order.accountId = accountId;
            order.clientOrderId = clientOrderId;
            order.book = book;
            order.account = account;
            order.side = side;
            order.type = type;
            order.timeInForce = timeInForce;
            order.price = price;
            order.quantity = in.readLong();
            order.remaining = in.readLong();
            order.quoteBudget = in.readLong();
            order.budgetLeft = in.readLong();
            order.locked = in.readLong();
            order.makerFeeBps = in.readInt();
            order.takerFeeBps = in.readInt();
            engine.orders.add(order);
            if (clientOrderId != null) {
                engine.clientOrderIds.add(order);
            }
            return order;
        }

        private void readOrderLists(MatchingEngine engine) throws IOException {
            section = "the accounts' order lists";
            int accounts = in.readInt();
            int linked = 0;
            for (int i = 0; i < accounts; i++) {
                long accountId = in.readLong();
                section = "the order list of account " + accountId;
                Account account = engine.accounts.get(accountId);
                if (account == null || account.ordersHead != null) {
                    throw corrupt("has an order list for account " + accountId + " that it does not have or lists twice");
                }
                int count = in.readInt();
                for (int j = 0; j < count; j++) {
                    long id = in.readLong();
                    Order order = engine.orders.get(id);
                    if (order == null || order.account != account || order == account.ordersHead
                        || order.accountPrev != null) {
                        throw corrupt("lists order " + id + " for account " + accountId
                            + ", which is not a resting order of that account or is listed twice");
                    }
                    account.link(order);
                }
                linked += count;
            }
            if (linked != engine.orders.size()) {
                throw corrupt("lists " + linked + " orders under their accounts but has " + engine.orders.size()
                    + " on its books");
            }
        }

        private IllegalArgumentException corrupt(String what) {
            return new IllegalArgumentException("snapshot " + what + " (in " + section + ")");
        }

        private static IllegalArgumentException differs(String snapshot, String config) {
            return new IllegalArgumentException("snapshot was taken with another configuration: it has " + snapshot
                + " where this configuration has " + config);
        }

        private StpMode stpMode(byte code) {
            StpMode value = StpMode.ofCode(code);
            if (value == null) {
                throw corrupt("has an unknown STP mode code " + code);
            }
            return value;
        }

        private OrderType orderType(byte code) {
            OrderType value = OrderType.ofCode(code);
            if (value == null) {
                throw corrupt("has an unknown order type code " + code);
            }
            return value;
        }

        private TimeInForce timeInForce(byte code) {
            TimeInForce value = TimeInForce.ofCode(code);
            if (value == null) {
                throw corrupt("has an unknown time in force code " + code);
            }
            return value;
        }

        private TradingState tradingState(byte code) {
            TradingState value = TradingState.ofCode(code);
            if (value == null) {
                throw corrupt("has an unknown trading state code " + code);
            }
            return value;
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Enum codes: explicit, so that a snapshot does not depend on declaration order.

}
