/**
 * The Java client of the binary order-entry protocol, for market makers, load tests and demos:
 * {@link io.xex.protocol.client.BinaryClient} (one session over one Vert.x {@code NetClient}), its settings
 * {@link io.xex.protocol.client.BinaryClientConfig} and the callbacks of
 * {@link io.xex.protocol.client.BinaryListener}. A client and its listener are confined to the event-loop
 * context the client was created on. Inside, {@code FrameEncoder} and {@code FrameReader} are the wire,
 * {@code SequenceTracker} decides which reports to deliver, hold and ask again, {@code KeepAlive} when to
 * send a heartbeat and when to give up on a silent server.
 *
 * <pre>{@code
 * final class MarketMaker implements BinaryListener {
 *     private BinaryClient client;
 *
 *     // On an event-loop context, e.g. in a verticle's start().
 *     Future<Established> start(Vertx vertx, long uuid, byte[] secret) {
 *         client = new BinaryClient(vertx, BinaryClientConfig.of("127.0.0.1", 7070, uuid, "mm-1", secret), this);
 *         return client.connect().onSuccess(established -> quote());
 *         // a failure is a SessionException: the server's code() and reason(), or code 0 for a timeout
 *     }
 *
 *     void quote() {
 *         // Sends return false, sending nothing, when not established or back-pressured.
 *         client.newOrder("bid-1", 7, Side.BUY, OrdType.LIMIT, TimeInForce.POST_ONLY, 41_950, 10, 0);
 *         client.massQuote(1, TimeInForce.POST_ONLY)
 *             .quote(7, 41_940, 10, 41_960, 10)
 *             .quote(8, 1_200, 50, 1_210, 50)
 *             .send();
 *     }
 *
 *     public void onExecutionReport(ExecutionReportDecoder report) {
 *         // Once each, in seqNo order; the decoder is valid during the call only.
 *         System.out.println(report.seqNo() + " " + report.execType() + " order " + report.orderId());
 *     }
 *
 *     public void onDisconnected() {
 *         // Establish only, same uuid; the reports missed meanwhile are retransmitted first.
 *         client.context().owner().setTimer(1_000, id -> client.reconnect());
 *     }
 * }
 * }</pre>
 *
 * A restarted process that kept {@code uuid()} and {@code lastSeqNo()} continues the same session with
 * {@code new BinaryClient(vertx, config, listener).resume(lastSeqNo)}.
 */
package io.xex.protocol.client;
