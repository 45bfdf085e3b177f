package io.xex.runtime.store;

/** A trade, for table {@code trades}. Prices are ticks, quantities lots, fees in the quote asset's units. */
public record TradeRow(long tradeId, long sequence, long timestampNs, int instrumentId, long takerOrderId,
                       long takerAccountId, long makerOrderId, long makerAccountId, String takerSide, long price,
                       long quantity, long takerFee, long makerFee) {
}
