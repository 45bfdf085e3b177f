package io.xex.runtime.history;

import io.xex.matching.Command;
import io.xex.matching.DoneReason;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;

import java.util.function.Consumer;

/**
 * Turns a durable command result into the execution reports of the accounts it concerns, in event order.
 * Pure: history numbers each account's reports densely from it, and the binary gateway numbers its
 * sessions' messages from it, so both agree on what report {@code n} of an account is.
 *
 * <p>An accepted order gives NEW; each trade gives TRADE to both sides; an amend or reduction gives
 * AMENDED; an order that ends other than by filling gives CANCELLED or EXPIRED (a fill's last TRADE already
 * shows it FILLED); a refused order request gives REJECTED. Resting, balances, accounts and instrument
 * states give none.
 */
public final class ExecutionReports {
    private ExecutionReports() {
    }

    public static void of(CommandResult result, Consumer<ExecutionReport> sink) {
        long seq = result.sequence();
        long ts = result.timestampNs();
        for (EngineEvent event : result.events()) {
            switch (event) {
                case EngineEvent.OrderAccepted e -> sink.accept(order(seq, ts, ExecKind.NEW, e.order(), 0));
                case EngineEvent.Trade e -> {
                    sink.accept(fill(seq, ts, e.taker(), e, e.takerFee(), false));
                    sink.accept(fill(seq, ts, e.maker(), e, e.makerFee(), true));
                }
                case EngineEvent.OrderAmended e -> sink.accept(order(seq, ts, ExecKind.AMENDED, e.order(), 0));
                case EngineEvent.OrderReduced e -> sink.accept(order(seq, ts, ExecKind.AMENDED, e.order(), 0));
                case EngineEvent.OrderDone e -> {
                    if (e.reason() != DoneReason.FILLED) {
                        sink.accept(order(seq, ts, ended(e.reason()), e.order(), e.reason().code()));
                    }
                }
                case EngineEvent.Rejected e -> rejected(seq, ts, e.command(), e.reason().code(), sink);
                case EngineEvent.OrderRested e -> {
                }
                case EngineEvent.BalanceChanged e -> {
                }
                case EngineEvent.AccountCreated e -> {
                }
                case EngineEvent.InstrumentStatus e -> {
                }
            }
        }
    }

    /** CANCELLED when the owner ended the order, EXPIRED when the venue did. */
    public static ExecKind ended(DoneReason reason) {
        return switch (reason) {
            case CANCELLED, CANCELLED_ALL, REDUCED_TO_ZERO -> ExecKind.CANCELLED;
            default -> ExecKind.EXPIRED;
        };
    }

    private static ExecutionReport order(long seq, long ts, ExecKind kind, EngineEvent.OrderState o, int reason) {
        return new ExecutionReport(o.accountId(), seq, ts, kind, o.orderId(), o.clientOrderId(), o.instrumentId(),
            o.side(), o.type(), o.timeInForce(), o.price(), o.quantity(), o.remaining(), 0, 0, 0, 0, false, reason);
    }

    private static ExecutionReport fill(long seq, long ts, EngineEvent.OrderState o, EngineEvent.Trade t, long fee,
                                        boolean maker) {
        return new ExecutionReport(o.accountId(), seq, ts, ExecKind.TRADE, o.orderId(), o.clientOrderId(),
            o.instrumentId(), o.side(), o.type(), o.timeInForce(), o.price(), o.quantity(), o.remaining(), t.price(),
            t.quantity(), t.tradeId(), fee, maker, 0);
    }

    private static void rejected(long seq, long ts, Command command, int reason, Consumer<ExecutionReport> sink) {
        ExecKind kind = ExecKind.REJECTED;
        switch (command) {
            case Command.PlaceOrder c -> sink.accept(new ExecutionReport(c.accountId(), seq, ts, kind, 0,
                c.clientOrderId(), c.instrumentId(), c.side(), c.type(), c.timeInForce(), c.price(), c.quantity(), 0,
                0, 0, 0, 0, false, reason));
            case Command.CancelOrder c -> sink.accept(new ExecutionReport(c.accountId(), seq, ts, kind, c.orderId(),
                c.clientOrderId(), 0, null, null, null, 0, 0, 0, 0, 0, 0, 0, false, reason));
            case Command.AmendOrder c -> sink.accept(new ExecutionReport(c.accountId(), seq, ts, kind, c.orderId(),
                c.clientOrderId(), 0, null, null, null, c.newPrice(), c.newQuantity(), 0, 0, 0, 0, 0, false, reason));
            case Command.ReduceOrder c -> sink.accept(new ExecutionReport(c.accountId(), seq, ts, kind, c.orderId(),
                null, 0, null, null, null, 0, c.quantity(), 0, 0, 0, 0, 0, false, reason));
            case Command.CancelAll c -> sink.accept(new ExecutionReport(c.accountId(), seq, ts, kind, 0, null,
                Math.max(c.instrumentId(), 0), null, null, null, 0, 0, 0, 0, 0, 0, 0, false, reason));
            case Command.CreateAccount c -> {
            }
            case Command.Deposit c -> {
            }
            case Command.Withdraw c -> {
            }
            case Command.SetTradingState c -> {
            }
            case Command.SetReferencePrice c -> {
            }
            case Command.ApplyMultiplier c -> {
            }
            case Command.Transfer c -> {
            }
        }
    }
}
