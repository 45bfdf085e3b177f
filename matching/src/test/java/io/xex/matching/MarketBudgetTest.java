package io.xex.matching;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A MARKET buy by quote budget on an instrument whose maximum quantity is far above what the budget buys.
 * The lots a budget pays for used to be found by counting up from an estimate capped at the maximum
 * quantity: about 10^8 steps per fill here, tens of seconds per order on the matching thread.
 */
class MarketBudgetTest {
    private static final int USDT = 0;
    private static final int TOKEN = 1;

    @Test
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void aBudgetFarAboveTheMaximumQuantityIsWorkedOutInAFewSteps() {
        RecordingListener listener = new RecordingListener();
        InstrumentSpec spec = new InstrumentSpec("BIGx/USDT", TOKEN, USDT, 1, 1, 1, 1_000_000_000L, 0, 1_000_000, null,
            TradingState.OPEN, 0);
        MatchingEngine engine = new MatchingEngine(new EngineConfig(
            List.of(new AssetSpec("USDT", 0), new AssetSpec("BIGx", 0)), List.of(spec), 0, true, 1_000, 64), listener);
        long seq = 0;
        engine.apply(++seq, 0, new Command.CreateAccount(1, 0, 0, StpMode.EXPIRE_TAKER));
        engine.apply(++seq, 0, new Command.CreateAccount(2, 0, 1_000, StpMode.EXPIRE_TAKER));
        engine.apply(++seq, 0, new Command.Deposit(1, TOKEN, 1_000));
        engine.apply(++seq, 0, new Command.Deposit(2, USDT, 1_000_000_000_000L));
        for (long id = 1; id <= 200; id++) {
            engine.apply(++seq, 0, Command.PlaceOrder.limit(1, id, 0, Side.SELL, TimeInForce.GTC, 100, 1));
        }
        listener.events.clear();
        engine.apply(++seq, 0, new Command.PlaceOrder(2, 1_000, null, 0, Side.BUY, OrderType.MARKET, TimeInForce.IOC, 0,
            0, 1_000_000_000_000L));
        engine.checkInvariants();
        // 200 lots at 100 with a 10% taker fee cost 200 × 110 = 22,000 of the budget; the book then runs out
        assertEquals(new Event.Done(1_000, DoneReason.EXPIRED_IOC, 200, 0), listener.events.getLast());
        assertEquals(1_000_000_000_000L - 22_000, engine.available(2, USDT));
        assertEquals(200, engine.available(2, TOKEN));
    }
}
