package io.xex.settlement.netting;

import io.xex.matching.Command;
import io.xex.matching.EngineConfig;
import io.xex.matching.InstrumentSpec;
import io.xex.matching.Side;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Nets the durable results of one batch into {@link NetMovements}: each account's net movement per asset, in
 * engine units, as a pure function of the results and the engine's configuration.
 *
 * <ul>
 *   <li>Transfers, from every {@link EngineEvent.Trade}, exactly as the engine moved the money: the buyer pays
 *       the value and its fee in the quote asset and receives {@code quantity × lotSize} base units, the seller
 *       gives those and receives the value less its fee, the fee account receives both fees. The value is the
 *       engine's own {@link InstrumentSpec#value} with the same quote units per tick and lot; the fees are the
 *       ones the event reports, which are the ones the engine charged. Locks and their releases move nothing
 *       between accounts and are not looked at. So for every account and asset, the transfer equals the change
 *       of its available plus locked balance over the batch, less its deposits, plus its withdrawals.</li>
 *   <li>Transfers, also, from every {@link Command.Transfer} the engine accepted (the issuer's mints and redeems):
 *       its amount from the giver to the receiver and its counter-amount back.</li>
 *   <li>Withdrawals, from every {@link Command.Withdraw} the engine accepted (its result has no
 *       {@link EngineEvent.Rejected}): the amounts it debited, to be paid out of the vault.</li>
 *   <li>Deposits move nothing: their tokens are in the vault already.</li>
 * </ul>
 * Sums are exact, with {@link Math#addExact}; an overflow, or a result that no engine with this configuration
 * can have given, is a bug and throws.
 *
 * <p>Immutable and thread-safe.
 */
public final class Netting {
    private final long feeAccountId;
    private final int assetCount;
    private final List<InstrumentSpec> instruments;
    /** Per instrument, as the engine computes it from the same configuration. */
    private final long[] quoteUnitsPerTickLot;

    /**
     * Netting for an engine built from {@code config}: the same assets, instruments and fee account. Refuses an
     * engine without balances (replay), which moves nothing.
     */
    public Netting(EngineConfig config) {
        Objects.requireNonNull(config, "config");
        if (!config.enforceBalances()) {
            throw new IllegalArgumentException("an engine without balances moves nothing to settle");
        }
        this.feeAccountId = config.feeAccountId();
        this.assetCount = config.assets().size();
        this.instruments = config.instruments();
        this.quoteUnitsPerTickLot = new long[instruments.size()];
        for (int i = 0; i < quoteUnitsPerTickLot.length; i++) {
            InstrumentSpec spec = instruments.get(i);
            quoteUnitsPerTickLot[i] = spec.quoteUnitsPerTickLot(config.assets().get(spec.baseAsset()).decimals());
        }
    }

    /** The account the engine credits every fee to; it has transfer legs like any other account. */
    public long feeAccountId() {
        return feeAccountId;
    }

    /**
     * The net movements of one batch: {@code results} are every durable result of it, in sequence order without
     * a gap (at least one).
     */
    public NetMovements net(List<CommandResult> results) {
        if (results.isEmpty()) {
            throw new IllegalArgumentException("a batch has at least one result");
        }
        Map<AccountAsset, Long> transfers = new HashMap<>();
        Map<AccountAsset, Long> withdrawals = new HashMap<>();
        long firstSequence = results.getFirst().sequence();
        long next = firstSequence;
        for (CommandResult result : results) {
            if (result.sequence() != next) {
                throw new IllegalArgumentException("result " + result.sequence() + " where " + next + " was due");
            }
            next++;
            if (result.command() instanceof Command.Withdraw withdraw && accepted(result)) {
                add(withdrawals, withdraw.accountId(), withdraw.asset(), withdraw.amount());
            } else if (result.command() instanceof Command.Transfer transfer && accepted(result)) {
                add(transfers, transfer.fromAccount(), transfer.asset(), -transfer.amount());
                add(transfers, transfer.toAccount(), transfer.asset(), transfer.amount());
                add(transfers, transfer.toAccount(), transfer.counterAsset(), -transfer.counterAmount());
                add(transfers, transfer.fromAccount(), transfer.counterAsset(), transfer.counterAmount());
            }
            for (EngineEvent event : result.events()) {
                if (event instanceof EngineEvent.Trade trade) {
                    addTrade(transfers, trade);
                }
            }
        }
        return new NetMovements(firstSequence, next - 1, legs(transfers), legs(withdrawals));
    }

    /**
     * Where the batch of {@code results} (every durable result of it, in sequence order) leaves the accounts: each
     * account's balance of each asset after its last {@link EngineEvent.BalanceChanged} in the batch, and every
     * {@link Command.Deposit} the engine accepted. Pure, like {@link #net}; what converting the movements at a
     * multiplier other than 1 needs.
     */
    public BatchPositions positions(List<CommandResult> results) {
        Map<AccountAsset, Long> closing = new HashMap<>();
        List<Leg> deposits = new ArrayList<>();
        for (CommandResult result : results) {
            if (result.command() instanceof Command.Deposit deposit && accepted(result) && deposit.amount() != 0) {
                deposits.add(new Leg(deposit.accountId(), deposit.asset(), deposit.amount()));
            }
            for (EngineEvent event : result.events()) {
                if (event instanceof EngineEvent.BalanceChanged changed) {
                    closing.put(new AccountAsset(changed.accountId(), changed.asset()),
                        Math.addExact(changed.available(), changed.locked()));
                }
            }
        }
        List<BatchPositions.Balance> balances = new ArrayList<>(closing.size());
        closing.forEach((key, total) -> balances.add(new BatchPositions.Balance(key.accountId(), key.asset(), total)));
        balances.sort(Comparator.comparingLong(BatchPositions.Balance::accountId)
            .thenComparingInt(BatchPositions.Balance::asset));
        return new BatchPositions(balances, deposits);
    }

    private static boolean accepted(CommandResult result) {
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Rejected) {
                return false;
            }
        }
        return true;
    }

    private void addTrade(Map<AccountAsset, Long> transfers, EngineEvent.Trade trade) {
        EngineEvent.OrderState taker = trade.taker();
        EngineEvent.OrderState maker = trade.maker();
        int instrumentId = taker.instrumentId();
        if (instrumentId < 0 || instrumentId >= instruments.size() || maker.instrumentId() != instrumentId
            || maker.side() == taker.side()) {
            throw new IllegalArgumentException("not a trade of this engine: " + trade);
        }
        InstrumentSpec spec = instruments.get(instrumentId);
        long price = trade.price();
        long quantity = trade.quantity();
        if (price <= 0 || price > spec.maxPrice() || quantity <= 0 || quantity > spec.maxQuantity()) {
            throw new IllegalArgumentException("price or quantity outside what " + spec.symbol() + " accepts: " + trade);
        }
        // Within maxPrice and maxQuantity neither product overflows: the configuration checked both.
        long value = InstrumentSpec.value(price, quantity, quoteUnitsPerTickLot[instrumentId]);
        long baseUnits = quantity * spec.lotSize();
        long takerFee = trade.takerFee();
        long makerFee = trade.makerFee();
        if (takerFee < 0 || takerFee > value || makerFee < 0 || makerFee > value) {
            throw new IllegalArgumentException("fees outside 0.." + value + ": " + trade);
        }
        boolean takerBuys = taker.side() == Side.BUY;
        long buyer = takerBuys ? taker.accountId() : maker.accountId();
        long seller = takerBuys ? maker.accountId() : taker.accountId();
        long buyerFee = takerBuys ? takerFee : makerFee;
        long sellerFee = takerBuys ? makerFee : takerFee;
        int quote = spec.quoteAsset();
        int base = spec.baseAsset();
        add(transfers, buyer, quote, -Math.addExact(value, buyerFee));
        add(transfers, buyer, base, baseUnits);
        add(transfers, seller, base, -baseUnits);
        add(transfers, seller, quote, value - sellerFee);
        add(transfers, feeAccountId, quote, takerFee + makerFee);
    }

    private void add(Map<AccountAsset, Long> movements, long accountId, int asset, long amount) {
        if (asset < 0 || asset >= assetCount) {
            throw new IllegalArgumentException("no asset " + asset + " in this engine");
        }
        movements.merge(new AccountAsset(accountId, asset), amount, Math::addExact);
    }

    /** The non-zero movements as legs, sorted by account and asset. */
    private static List<Leg> legs(Map<AccountAsset, Long> movements) {
        List<Leg> legs = new ArrayList<>(movements.size());
        movements.forEach((key, amount) -> {
            if (amount != 0) {
                legs.add(new Leg(key.accountId(), key.asset(), amount));
            }
        });
        legs.sort(Leg.ORDER);
        return legs;
    }

    private record AccountAsset(long accountId, int asset) {
    }
}
