package io.xex.gateway.market;

import io.xex.matching.MatchingEngine;
import io.xex.matching.Side;
import io.xex.matching.TradingState;

import java.util.ArrayList;
import java.util.List;

/**
 * What the market data starts from: every resting order and every symbol's trading status, read on the
 * matching thread in one go (see {@link io.xex.runtime.engine.EngineProxy#query}).
 */
record Seed(List<List<Resting>> orders, List<Status> statuses) {

    record Resting(long orderId, Side side, long price, long remaining) {
    }

    record Status(TradingState state, long referencePrice, MatchingEngine.Bands bands) {
    }

    /** Runs on the matching thread: copies out the books and statuses of {@code instruments} instruments. */
    static Seed read(MatchingEngine engine, int instruments) {
        List<List<Resting>> orders = new ArrayList<>(instruments);
        List<Status> statuses = new ArrayList<>(instruments);
        for (int id = 0; id < instruments; id++) {
            List<Resting> resting = new ArrayList<>();
            for (Side side : Side.values()) {
                engine.forEachOrder(id, side, o -> resting.add(new Resting(o.orderId(), o.side(), o.price(), o.remaining())));
            }
            orders.add(resting);
            statuses.add(new Status(engine.tradingState(id), engine.referencePrice(id), engine.bands(id)));
        }
        return new Seed(orders, statuses);
    }
}
