package io.xex.loadtests.binary;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.xex.protocol.client.BinaryClient;
import io.xex.protocol.client.BinaryClientConfig;
import io.xex.protocol.client.BinaryListener;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.ThrottleRejectDecoder;
import io.xex.protocol.sbe.TimeInForce;

/**
 * A session with the binary gateway through the project's client library: one {@link BinaryClient} (Negotiate and
 * Establish, sequenced report delivery, keep-alive), created on the session's context so that it lives there. Sends
 * are {@link BinaryClient#newOrder}; with batching on, the orders of one sending turn go out in one write at
 * {@link BinaryClient#flush()}. Back-pressure ({@code newOrder} false) waits for {@link #onWritable()}.
 *
 * <p>Confined to its context.
 */
final class ClientSession extends OrderSession implements BinaryListener {
    private BinaryClient client;

    private ClientSession(int index, Context context, int securityId, int run) {
        super(index, context, securityId, run);
    }

    /** Connects and establishes a new session from {@code context}. */
    static Future<ClientSession> open(Vertx vertx, Context context, BinaryClientConfig config, int index, int securityId,
                                      int run) {
        Promise<ClientSession> opened = Promise.promise();
        context.runOnContext(v -> {
            ClientSession session = new ClientSession(index, context, securityId, run);
            session.client = new BinaryClient(vertx, config, session);
            session.client.connect().map(established -> session).onComplete(opened);
        });
        return opened.future();
    }

    @Override
    protected boolean newOrder(CharSequence clOrdId, Side side, long priceTicks) {
        return client.newOrder(clOrdId, securityId, side, OrdType.LIMIT, TimeInForce.IOC, priceTicks, QUANTITY_LOTS, 0);
    }

    @Override
    protected void afterSends() {
        client.flush();
    }

    @Override
    public void onExecutionReport(ExecutionReportDecoder report) {
        onReport(report);
    }

    @Override
    public void onBusinessReject(BusinessRejectDecoder reject) {
        reject.getClOrdId(received, 0);
        onReject("BusinessReject", reject.errorCode(), reject.reason());
    }

    @Override
    public void onThrottleReject(ThrottleRejectDecoder reject) {
        reject.getClOrdId(received, 0);
        onReject("ThrottleReject", 0, "retry after " + reject.retryAfterMs() + " ms");
    }

    @Override
    public void onWritable() {
        sendDue();
    }

    @Override
    public void onDisconnected() {
        connectionClosed();
    }

    /** Ends the session flow (Terminate, answered by the server's) and releases the client. */
    @Override
    public Future<Void> close() {
        Promise<Void> closed = Promise.promise();
        context.runOnContext(v -> client.terminate().eventually(client::close).onComplete(closed));
        return closed.future();
    }
}
