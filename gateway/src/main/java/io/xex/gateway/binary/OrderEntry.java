package io.xex.gateway.binary;

import io.vertx.core.Future;
import io.xex.matching.Command;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.TimeInForce;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.sbe.AmendOrderDecoder;
import io.xex.protocol.sbe.CancelOrderDecoder;
import io.xex.protocol.sbe.MassCancelDecoder;
import io.xex.protocol.sbe.MassQuoteDecoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.runtime.engine.CommandRefusedException;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineEvent;
import io.xex.runtime.engine.EngineProxy;
import org.agrona.DirectBuffer;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The application messages of established sessions, from decoded message to engine commands, and the
 * answers that are not execution reports: business rejects, mass cancel and mass quote acknowledgements.
 * Keeps which live order each session entered, for cancel-on-disconnect. Confined to the gateway's context.
 */
final class OrderEntry {
    private static final long ASSIGNED_BY_RUNTIME = 1;

    /** Runs an action once every execution report of the results through a sequence has gone out. */
    interface ReportBarrier {
        void afterReported(long sequence, Runnable action);
    }

    private final ReportBarrier reported;
    private final EngineProxy engine;
    private final Wire wire;
    private final LongSupplier clockMs;
    /** Live orders entered over a session, by order id: their session, for cancel-on-disconnect. */
    private final Map<Long, BinarySession> orderSessions = new HashMap<>();

    OrderEntry(ReportBarrier reported, EngineProxy engine, Wire wire, LongSupplier clockMs) {
        this.reported = reported;
        this.engine = engine;
        this.wire = wire;
        this.clockMs = clockMs;
    }

    /** An order left the book: it is no longer its session's to cancel. */
    void ended(long orderId) {
        BinarySession owner = orderSessions.remove(orderId);
        if (owner != null) {
            owner.liveOrders.remove(orderId);
        }
    }

    void newOrder(Connection c, NewOrderDecoder newOrder) {
        String clOrdId = newOrder.clOrdId();
        Side side = side(newOrder.sideRaw());
        OrderType type = orderType(newOrder.ordTypeRaw());
        TimeInForce tif = timeInForce(newOrder.timeInForceRaw());
        int templateId = NewOrderDecoder.TEMPLATE_ID;
        if (!printable(clOrdId)) {
            businessReject(c, templateId, "", 0, 0, ProtocolCode.INVALID_FIELD.code(), "clOrdId must be printable ASCII");
            return;
        }
        if (side == null || type == null || tif == null) {
            businessReject(c, templateId, clOrdId, 0, 0, ProtocolCode.INVALID_FIELD.code(),
                side == null ? "side must be 1 or 2" : type == null ? "ordType must be 1 or 2" : "timeInForce must be 1..4");
            return;
        }
        if (clOrdId.startsWith(Quotes.PREFIX)) {
            businessReject(c, templateId, clOrdId, 0, 0, ProtocolCode.RESERVED_CLIENT_ORDER_ID.code(),
                ProtocolCode.RESERVED_CLIENT_ORDER_ID.text());
            return;
        }
        BinarySession session = c.session;
        AccountState account = session.account;
        String id = clOrdId.isEmpty() ? null : clOrdId;
        if (id != null) {
            Long existing = account.recentOrder(id);
            if (existing != null || account.inFlight.contains(id)) {
                businessReject(c, templateId, clOrdId, 0, existing == null ? 0 : existing,
                    ProtocolCode.DUPLICATE_CLIENT_ORDER_ID.code(), existing == null
                        ? "clOrdId of an order still being entered" : ProtocolCode.DUPLICATE_CLIENT_ORDER_ID.text());
                return;
            }
            account.inFlight.add(id);
        }
        Command.PlaceOrder command = new Command.PlaceOrder(account.accountId, ASSIGNED_BY_RUNTIME, id,
            (int) newOrder.securityId(), side, type, tif, newOrder.price(), newOrder.quantity(), newOrder.quoteBudget());
        engine.submit(command).onComplete(ar -> {
            if (id != null) {
                account.inFlight.remove(id);
            }
            if (ar.succeeded()) {
                placed(session, ar.result());
            } else {
                refused(session, c, templateId, clOrdId, 0, ar.cause());
            }
        });
    }

    /**
     * A NewOrder or quote order is durable: remembers its client order id now (the report follows in the same
     * turn of results, but a resend could come in between) and, if it is live, its session.
     */
    private void placed(BinarySession session, CommandResult result) {
        if (!(result.command() instanceof Command.PlaceOrder placed)) {
            return;
        }
        boolean accepted = false;
        boolean done = false;
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.OrderAccepted a && a.order().orderId() == placed.orderId()) {
                accepted = true;
            } else if (event instanceof EngineEvent.OrderDone d && d.order().orderId() == placed.orderId()) {
                done = true;
            }
        }
        if (accepted && placed.clientOrderId() != null) {
            session.account.rememberOrder(placed.clientOrderId(), placed.orderId());
        }
        if (accepted && !done) {
            orderSessions.put(placed.orderId(), session);
            session.liveOrders.add(placed.orderId());
        }
    }

    /** The runtime refused a command: a business reject with its number, if the connection is still there. */
    private void refused(BinarySession session, Connection c, int templateId, String clOrdId, long requestId,
                         Throwable cause) {
        if (session.connection != c || c.closed) {
            return;
        }
        int code = cause instanceof CommandRefusedException r ? r.refusal().code() : 900;
        String reason = cause instanceof CommandRefusedException r ? r.refusal().text() : "internal error";
        businessReject(c, templateId, clOrdId, requestId, 0, code, reason);
        wire.flush(clockMs.getAsLong());
    }

    void cancel(Connection c, CancelOrderDecoder cancelOrder) {
        long orderId = cancelOrder.orderId();
        String origClOrdId = cancelOrder.origClOrdId();
        if (!validTarget(c, CancelOrderDecoder.TEMPLATE_ID, orderId, origClOrdId)) {
            return;
        }
        BinarySession session = c.session;
        submitPlain(session, c, CancelOrderDecoder.TEMPLATE_ID, origClOrdId,
            new Command.CancelOrder(session.account.accountId, orderId, orderId == 0 ? origClOrdId : null));
    }

    void amend(Connection c, AmendOrderDecoder amendOrder) {
        long orderId = amendOrder.orderId();
        String origClOrdId = amendOrder.origClOrdId();
        if (!validTarget(c, AmendOrderDecoder.TEMPLATE_ID, orderId, origClOrdId)) {
            return;
        }
        BinarySession session = c.session;
        submitPlain(session, c, AmendOrderDecoder.TEMPLATE_ID, origClOrdId,
            new Command.AmendOrder(session.account.accountId, orderId, orderId == 0 ? origClOrdId : null,
                amendOrder.newPrice(), amendOrder.newQuantity()));
    }

    private boolean validTarget(Connection c, int templateId, long orderId, String origClOrdId) {
        if (!printable(origClOrdId)) {
            businessReject(c, templateId, "", 0, orderId, ProtocolCode.INVALID_FIELD.code(),
                "origClOrdId must be printable ASCII");
            return false;
        }
        if (orderId == 0 && origClOrdId.isEmpty()) {
            businessReject(c, templateId, "", 0, 0, ProtocolCode.INVALID_FIELD.code(),
                "name the order by orderId or origClOrdId");
            return false;
        }
        return true;
    }

    private void submitPlain(BinarySession session, Connection c, int templateId, String clOrdId, Command command) {
        engine.submit(command).onFailure(e -> refused(session, c, templateId, clOrdId, 0, e));
    }

    void massCancel(Connection c, MassCancelDecoder massCancel) {
        long requestId = massCancel.requestId();
        long securityId = massCancel.securityId();
        short sideRaw = massCancel.sideRaw();
        BinarySession session = c.session;
        long account = session.account.accountId;
        if (sideRaw > 2) {
            businessReject(c, MassCancelDecoder.TEMPLATE_ID, "", requestId, 0, ProtocolCode.INVALID_FIELD.code(),
                "side must be 0 (any), 1 or 2");
            return;
        }
        boolean everySymbol = securityId == MassCancelDecoder.securityIdNullValue();
        if (!everySymbol && securityId > Integer.MAX_VALUE) {
            massCancelAnswered(session, c, requestId, 0, 0, 0);
            return;
        }
        int instrument = (int) securityId;
        if (sideRaw == 0) {
            engine.submit(new Command.CancelAll(account, everySymbol ? Command.CancelAll.ALL_INSTRUMENTS : instrument))
                .onComplete(ar -> massCancelAnswered(session, c, requestId,
                    ar.succeeded() ? rejectCode(ar.result()) : code(ar.cause()), ar.succeeded() ? cancelled(ar.result()) : 0,
                    ar.succeeded() ? ar.result().sequence() : 0));
            return;
        }
        Side side = side(sideRaw);
        engine.query(e -> {
            List<Long> ids = new ArrayList<>();
            e.forEachOrderOf(account, o -> {
                if (o.side() == side && (everySymbol || o.instrumentId() == instrument)) {
                    ids.add(o.orderId());
                }
            });
            return ids;
        }).onComplete(ar -> {
            if (ar.failed()) {
                massCancelAnswered(session, c, requestId, code(ar.cause()), 0, 0);
                return;
            }
            List<Future<CommandResult>> cancels = new ArrayList<>();
            for (long id : ar.result().value()) {
                cancels.add(engine.submit(new Command.CancelOrder(account, id, null)));
            }
            Future.join(cancels).onComplete(all -> {
                int count = 0;
                int failure = 0;
                long through = 0;
                for (Future<CommandResult> f : cancels) {
                    if (f.succeeded()) {
                        count += cancelled(f.result());
                        through = Math.max(through, f.result().sequence());
                    } else {
                        failure = code(f.cause());
                    }
                }
                massCancelAnswered(session, c, requestId, failure, count, through);
            });
        });
    }

    /** Answers a mass cancel once the execution reports of what it did (through {@code through}) are out. */
    private void massCancelAnswered(BinarySession session, Connection c, long requestId, int code, int cancelled,
                                    long through) {
        reported.afterReported(through, () -> {
            if (session.connection == c && !c.closed) {
                wire.massCancelAck(c, requestId, code, cancelled);
                wire.flush(clockMs.getAsLong());
            }
        });
    }

    void massQuote(Connection c, MassQuoteDecoder massQuote, DirectBuffer frame, int groupOffset, int length) {
        long requestId = massQuote.requestId();
        TimeInForce tif = timeInForce(massQuote.timeInForceRaw());
        int templateId = MassQuoteDecoder.TEMPLATE_ID;
        if (tif != TimeInForce.GTC && tif != TimeInForce.POST_ONLY) {
            businessReject(c, templateId, "", requestId, 0, ProtocolCode.INVALID_FIELD.code(),
                "timeInForce must be GTC (1) or POST_ONLY (4)");
            return;
        }
        // The group header and its entries must lie inside the frame.
        if (length - groupOffset < 4) {
            businessReject(c, templateId, "", requestId, 0, ProtocolCode.MALFORMED_MESSAGE.code(), "no quotes group");
            return;
        }
        int entryLength = frame.getShort(groupOffset, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        int entries = frame.getShort(groupOffset + 2, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
        if (entries > Quotes.MAX_PER_MESSAGE) {
            businessReject(c, templateId, "", requestId, 0, ProtocolCode.TOO_MANY_QUOTES.code(),
                "at most " + Quotes.MAX_PER_MESSAGE + " quotes per MassQuote");
            return;
        }
        if (entryLength < MassQuoteDecoder.QuotesDecoder.sbeBlockLength()
            || (long) groupOffset + 4 + (long) entryLength * entries > length) {
            businessReject(c, templateId, "", requestId, 0, ProtocolCode.MALFORMED_MESSAGE.code(),
                "quotes group larger than the message");
            return;
        }
        BinarySession session = c.session;
        AccountState account = session.account;
        List<Future<Wire.QuoteOutcome>> outcomes = new ArrayList<>(entries);
        // Every command submitted, and the highest sequence among them once done.
        List<Future<CommandResult>> commands = new ArrayList<>(4 * entries);
        for (MassQuoteDecoder.QuotesDecoder q : massQuote.quotes()) {
            long securityId = q.securityId();
            Future<Long> bid = replaceQuote(session, account, securityId, Side.BUY, tif, q.bidPrice(), q.bidQuantity(), commands);
            Future<Long> ask = replaceQuote(session, account, securityId, Side.SELL, tif, q.askPrice(), q.askQuantity(), commands);
            outcomes.add(Future.join(bid, ask).transform(v -> Future.succeededFuture(new Wire.QuoteOutcome(securityId,
                status(bid), orderIdOf(bid), status(ask), orderIdOf(ask)))));
        }
        // Answered once the reports of what it did are out, as a mass cancel is.
        Future.join(outcomes).onComplete(done -> Future.join(commands).onComplete(all -> {
            long through = 0;
            for (Future<CommandResult> command : commands) {
                if (command.succeeded()) {
                    through = Math.max(through, command.result().sequence());
                }
            }
            reported.afterReported(through, () -> {
                if (session.connection != c || c.closed) {
                    return;
                }
                List<Wire.QuoteOutcome> acked = new ArrayList<>(outcomes.size());
                outcomes.forEach(f -> acked.add(f.result()));
                wire.massQuoteAck(c, requestId, acked);
                wire.flush(clockMs.getAsLong());
            });
        }));
    }

    /**
     * Cancels the account's live quote order on one side of a symbol, if any, and enters the new one unless its
     * quantity is 0, adding what it submits to {@code commands}. Completes with the new order's id (0 for none), or fails with a {@link QuoteRejected}.
     */
    private Future<Long> replaceQuote(BinarySession session, AccountState account, long securityId, Side side,
                                      TimeInForce tif, long price, long quantity, List<Future<CommandResult>> commands) {
        String id = Quotes.clientOrderId((int) securityId, side);
        Long live = account.liveQuotes.get(id);
        if (live != null) {
            commands.add(engine.submit(new Command.CancelOrder(account.accountId, live, null)));
        }
        if (quantity == 0) {
            return Future.succeededFuture(0L);
        }
        if (securityId > Integer.MAX_VALUE) {
            return Future.failedFuture(new QuoteRejected(io.xex.matching.RejectReason.REQUEST_UNKNOWN_INSTRUMENT.code()));
        }
        Command.PlaceOrder place = new Command.PlaceOrder(account.accountId, ASSIGNED_BY_RUNTIME, id, (int) securityId,
            side, OrderType.LIMIT, tif, price, quantity, 0);
        Future<CommandResult> submitted = engine.submit(place);
        commands.add(submitted);
        return submitted.compose(result -> {
            placed(session, result);
            for (EngineEvent event : result.events()) {
                if (event instanceof EngineEvent.Rejected r) {
                    return Future.failedFuture(new QuoteRejected(r.reason().code()));
                }
            }
            return Future.succeededFuture(result.command() instanceof Command.PlaceOrder p ? p.orderId() : 0L);
        }, e -> Future.failedFuture(new QuoteRejected(code(e))));
    }

    /** A quote side that did not rest, with its number. */
    private static final class QuoteRejected extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int code;

        QuoteRejected(int code) {
            super(null, null, false, false);
            this.code = code;
        }
    }

    private static int status(Future<Long> side) {
        return side.succeeded() ? 0 : side.cause() instanceof QuoteRejected q ? q.code : 900;
    }

    private static long orderIdOf(Future<Long> side) {
        return side.succeeded() ? side.result() : 0;
    }

    private static int code(Throwable cause) {
        return cause instanceof CommandRefusedException r ? r.refusal().code() : 900;
    }

    private static int rejectCode(CommandResult result) {
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.Rejected r) {
                return r.reason().code();
            }
        }
        return 0;
    }

    private static int cancelled(CommandResult result) {
        int n = 0;
        for (EngineEvent event : result.events()) {
            if (event instanceof EngineEvent.OrderDone) {
                n++;
            }
        }
        return n;
    }

    private void businessReject(Connection c, int templateId, String clOrdId, long requestId, long orderId, int code,
                                String reason) {
        wire.businessReject(c, templateId, clOrdId, requestId, orderId, code, reason);
    }

    // ---------------------------------------------------------------------------------------------
    // Field values

    static boolean printable(String text) {
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch < 0x21 || ch > 0x7E) {
                return false;
            }
        }
        return true;
    }

    private static Side side(short raw) {
        return raw == 1 ? Side.BUY : raw == 2 ? Side.SELL : null;
    }

    private static OrderType orderType(short raw) {
        return raw == 1 ? OrderType.LIMIT : raw == 2 ? OrderType.MARKET : null;
    }

    private static TimeInForce timeInForce(short raw) {
        return raw >= 1 && raw <= 4 ? TimeInForce.ofCode(raw) : null;
    }
}
