package io.xex.matching;

import java.util.List;
import java.util.Objects;

/**
 * Everything the engine is built from. Validated when constructed, so a bad configuration fails before
 * anything starts.
 *
 * @param assets                   the assets; an instrument names its base and quote by index here
 * @param instruments              the symbols; an instrument's id is its index here
 * @param feeAccountId             the venue's own account, which receives fees; created by the engine
 * @param enforceBalances          false runs with unlimited balances: nothing is locked, moved or charged (replay)
 * @param maxOpenOrdersPerAccount  resting orders an account may have at once
 * @param initialOrderCapacity     orders and price levels allocated up front, so steady state allocates nothing
 */
public record EngineConfig(List<AssetSpec> assets, List<InstrumentSpec> instruments, long feeAccountId,
                           boolean enforceBalances, int maxOpenOrdersPerAccount, int initialOrderCapacity) {
    public static final long DEFAULT_FEE_ACCOUNT_ID = 0;
    public static final int DEFAULT_MAX_OPEN_ORDERS_PER_ACCOUNT = 1_000;
    public static final int DEFAULT_INITIAL_ORDER_CAPACITY = 1 << 14;

    public EngineConfig {
        assets = List.copyOf(Objects.requireNonNull(assets, "assets"));
        instruments = List.copyOf(Objects.requireNonNull(instruments, "instruments"));
        if (maxOpenOrdersPerAccount <= 0 || initialOrderCapacity <= 0) {
            throw new IllegalArgumentException("maxOpenOrdersPerAccount and initialOrderCapacity must be positive");
        }
        for (InstrumentSpec instrument : instruments) {
            if (instrument.baseAsset() < 0 || instrument.baseAsset() >= assets.size()
                || instrument.quoteAsset() < 0 || instrument.quoteAsset() >= assets.size()) {
                throw new IllegalArgumentException(instrument.symbol() + ": unknown base or quote asset");
            }
            instrument.quoteUnitsPerTickLot(assets.get(instrument.baseAsset()).decimals());
        }
        long distinct = instruments.stream().map(InstrumentSpec::symbol).distinct().count();
        if (distinct != instruments.size()) {
            throw new IllegalArgumentException("instrument symbols must be unique");
        }
    }
}
