package io.xex.protocol.client;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetSocket;
import io.xex.protocol.Framing;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.SessionSigning;
import io.xex.protocol.sbe.BooleanFlag;
import io.xex.protocol.sbe.BusinessRejectDecoder;
import io.xex.protocol.sbe.CancelOnDisconnect;
import io.xex.protocol.sbe.EstablishmentAckDecoder;
import io.xex.protocol.sbe.EstablishmentRejectDecoder;
import io.xex.protocol.sbe.ExecutionReportDecoder;
import io.xex.protocol.sbe.MassCancelAckDecoder;
import io.xex.protocol.sbe.MassQuoteAckDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.NegotiationRejectDecoder;
import io.xex.protocol.sbe.NegotiationResponseDecoder;
import io.xex.protocol.sbe.OrdType;
import io.xex.protocol.sbe.RetransmissionDecoder;
import io.xex.protocol.sbe.RetransmitRejectDecoder;
import io.xex.protocol.sbe.SequenceDecoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.SideFilter;
import io.xex.protocol.sbe.TerminateDecoder;
import io.xex.protocol.sbe.ThrottleRejectDecoder;
import io.xex.protocol.sbe.TimeInForce;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import java.time.Instant;
import java.time.InstantSource;
import java.util.function.Supplier;

/**
 * A client of the binary order-entry gateway for one session (one uuid), over a Vert.x {@link NetClient}.
 *
 * <p><b>Session.</b> {@link #connect()} opens a connection and sends Negotiate (the first time this object
 * connects) then Establish; {@link #reconnect()} sends Establish only, and the server's EstablishmentAck says
 * which seqNo comes next. {@link #resume(long)} continues, from a new object, a session negotiated earlier
 * (a restarted process that kept its uuid and last seqNo). Rejects fail the returned future with a
 * {@link SessionException} carrying the server's code and reason.
 *
 * <p><b>Reports.</b> Execution reports reach the {@link BinaryListener} once each and in seqNo order. A gap
 * (after reconnecting, or a seqNo jump) is asked with RetransmitRequests of at most 1,000, one at a time;
 * live reports that arrive before the gap is filled are held (copied) and delivered after it.
 * {@link #lastSeqNo()} is the highest seqNo delivered.
 *
 * <p><b>Sends</b> encode with reused SBE encoders into one reused buffer and return false, sending nothing,
 * when the session is not established or the socket's write queue is full (back-pressure;
 * {@link BinaryListener#onWritable()} follows). Without batching each send is one socket write; with
 * {@link BinaryClientConfig#batching()} the sends of one event-loop turn are written together at its end
 * or at {@link #flush()}. The only allocation per write is the Vert.x {@link Buffer} written.
 *
 * <p><b>Keep-alive.</b> A Sequence heartbeat goes out after one keep-alive interval without sending; two
 * intervals without receiving anything drop the connection ({@link BinaryListener#onDisconnected()}).
 *
 * <p><b>Threads.</b> Confined to the event-loop context it was created on ({@link #context()}): the listener
 * is called there, and sends, {@link #flush()} and the getters must be called there. {@link #connect()},
 * {@link #reconnect()}, {@link #resume(long)}, {@link #terminate()}, {@link #disconnect()} and
 * {@link #close()} may be called from any thread; they run on the context and their futures complete there.
 */
public final class BinaryClient {
    private static final System.Logger LOG = System.getLogger(BinaryClient.class.getName());
    private static final int BATCH_CAPACITY = 16 * 1024;

    private enum State {
        /** No connection; connect, reconnect or resume may start one. */
        DISCONNECTED,
        /** TCP connect in progress. */
        CONNECTING,
        NEGOTIATING,
        ESTABLISHING,
        ESTABLISHED,
        /** Terminate sent; waiting for the server to answer and close. */
        TERMINATING,
        /** {@link #close()}d: for good. */
        CLOSED
    }

    private final Vertx vertx;
    private final Context context;
    private final BinaryClientConfig config;
    private final BinaryListener listener;
    private final InstantSource clock;
    private final NetClient netClient;

    // Everything below is confined to the context.
    private final FrameEncoder encoder = new FrameEncoder();
    private final byte[] outboundBytes;
    private final UnsafeBuffer outbound;
    private int pendingLength;
    private boolean flushScheduled;
    private final Handler<Void> flushTask = v -> {
        flushScheduled = false;
        flush();
    };
    private final FrameReader reader = new FrameReader(this::onMessage);
    private final KeepAlive keepAlive = new KeepAlive();
    private final MassQuoteBuilder massQuote = new MassQuoteBuilder(this);
    private final SequenceTracker.Output trackerOutput = new SequenceTracker.Output() {
        @Override
        public void deliver(DirectBuffer buffer, int offset, int length) {
            listener.onExecutionReport(deliveredReport.wrapAndApplyHeader(buffer, offset, deliveredHeader));
        }

        @Override
        public void requestRetransmit(long fromSeqNo, int count) {
            sendNow(encoder.retransmitRequest(outbound, claim(), config.uuid(), fromSeqNo, count));
        }
    };
    private SequenceTracker tracker = new SequenceTracker(0, trackerOutput);

    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final MessageHeaderDecoder deliveredHeader = new MessageHeaderDecoder();
    private final NegotiationResponseDecoder negotiationResponse = new NegotiationResponseDecoder();
    private final NegotiationRejectDecoder negotiationReject = new NegotiationRejectDecoder();
    private final EstablishmentAckDecoder establishmentAck = new EstablishmentAckDecoder();
    private final EstablishmentRejectDecoder establishmentReject = new EstablishmentRejectDecoder();
    private final SequenceDecoder sequence = new SequenceDecoder();
    private final RetransmissionDecoder retransmission = new RetransmissionDecoder();
    private final RetransmitRejectDecoder retransmitReject = new RetransmitRejectDecoder();
    private final TerminateDecoder terminate = new TerminateDecoder();
    private final ExecutionReportDecoder report = new ExecutionReportDecoder();
    private final ExecutionReportDecoder deliveredReport = new ExecutionReportDecoder();
    private final BusinessRejectDecoder businessReject = new BusinessRejectDecoder();
    private final ThrottleRejectDecoder throttleReject = new ThrottleRejectDecoder();
    private final MassQuoteAckDecoder massQuoteAck = new MassQuoteAckDecoder();
    private final MassCancelAckDecoder massCancelAck = new MassCancelAckDecoder();

    private State state = State.DISCONNECTED;
    private NetSocket socket;
    /** The event-loop thread, for the confinement assertion; set on the first connect. */
    private Thread thread;
    private boolean negotiated;
    private Promise<Established> connecting;
    private Promise<Void> terminating;
    private long handshakeTimer = -1;
    private long keepAliveTimer = -1;
    private long lastRequestTimestampNs;

    public BinaryClient(Vertx vertx, BinaryClientConfig config, BinaryListener listener) {
        this(vertx, config, listener, InstantSource.system());
    }

    /**
     * @param clock gives the requestTimestamp of Negotiate and Establish (the server accepts 5 s of skew)
     */
    public BinaryClient(Vertx vertx, BinaryClientConfig config, BinaryListener listener, InstantSource clock) {
        this.vertx = vertx;
        this.context = vertx.getOrCreateContext();
        if (!context.isEventLoopContext()) {
            throw new IllegalStateException("a BinaryClient needs an event-loop context");
        }
        this.config = config;
        this.listener = listener;
        this.clock = clock;
        this.netClient = vertx.createNetClient(new NetClientOptions()
            .setConnectTimeout((int) config.connectTimeoutMs())
            .setTcpNoDelay(true));
        this.outboundBytes = new byte[config.batching() ? BATCH_CAPACITY : Framing.MAX_FRAME_LENGTH];
        this.outbound = new UnsafeBuffer(outboundBytes);
    }

    // ------------------------------------------------------------------------------------------------
    // Session

    /**
     * Connects: Negotiate if this object has not negotiated the session yet, then Establish. Completes when
     * established, after asking any missing reports; fails with a {@link SessionException} (server reject,
     * no answer within the connect timeout, connection closed) or the TCP connect's failure. After a
     * NegotiationReject {@link ProtocolCode#UUID_TAKEN} (an earlier Negotiate of ours recorded, its answer
     * lost) the next connect sends Establish only.
     */
    public Future<Established> connect() {
        return onContext(this::doConnect);
    }

    /**
     * Connects again after a disconnect with the same uuid and {@link #lastSeqNo()}: Establish only (unless
     * never negotiated), then the gap is retransmitted. A connection still open is dropped first.
     */
    public Future<Established> reconnect() {
        return onContext(() -> {
            if (state != State.DISCONNECTED && state != State.CLOSED) {
                detach(new SessionException(0, "reconnecting"));
            }
            return doConnect();
        });
    }

    /**
     * Continues a session negotiated earlier (by another client object or process): Establish only, with
     * reports up to {@code lastSeqNo} taken as delivered. Only before this object's first connect.
     */
    public Future<Established> resume(long lastSeqNo) {
        return onContext(() -> {
            if (negotiated || state != State.DISCONNECTED || tracker.lastSeqNo() != 0) {
                return Future.failedFuture(new IllegalStateException("resume only before the first connect"));
            }
            tracker = new SequenceTracker(lastSeqNo, trackerOutput);
            negotiated = true;
            return doConnect();
        });
    }

    /**
     * Ends the session flow: sends Terminate and completes once the server has closed the connection (or
     * after the connect timeout, closing it). Orders stay, or are cancelled after the grace window if
     * cancel-on-disconnect is on. The session may be re-established later with {@link #reconnect()}.
     */
    public Future<Void> terminate() {
        return onContext(() -> {
            if (state == State.TERMINATING) {
                return terminating.future();
            }
            if (state != State.ESTABLISHED) {
                return disconnectNow();
            }
            Promise<Void> promise = Promise.promise();
            terminating = promise;
            state = State.TERMINATING;
            sendNow(encoder.terminate(outbound, claim(), config.uuid(), ProtocolCode.FINISHED.code(),
                ProtocolCode.FINISHED.text()));
            cancelTimer(handshakeTimer);
            handshakeTimer = vertx.setTimer(config.connectTimeoutMs(), id -> {
                handshakeTimer = -1;
                if (terminating == promise) {
                    detach(null);
                }
            });
            return promise.future();
        });
    }

    /** Drops the connection without a Terminate (as a crash would); completes when it is closed. */
    public Future<Void> disconnect() {
        return onContext(this::disconnectNow);
    }

    /** Drops any connection and releases the client's resources; it cannot connect again. */
    public Future<Void> close() {
        return onContext(() -> {
            Future<Void> closed = disconnectNow();
            state = State.CLOSED;
            return closed.eventually(netClient::close);
        });
    }

    // ------------------------------------------------------------------------------------------------
    // Application messages: each returns false, sending nothing, when the session is not established or
    // the write queue is full.

    /**
     * Enters an order; the server acknowledges it with an execution report (NEW or REJECTED) or a
     * BusinessReject.
     *
     * @param clOrdId     up to 36 printable ASCII characters, not starting with {@code '~'}; null or empty
     *                    for none (a {@link CharSequence} so a reused builder needs no String)
     * @param price       in ticks; ignored for MARKET
     * @param quantity    in lots; 0 for a MARKET buy with a quote budget
     * @param quoteBudget MARKET buy only, in the quote asset's smallest units; 0 for none
     * @throws IllegalArgumentException if {@code clOrdId} is malformed
     */
    public boolean newOrder(CharSequence clOrdId, long securityId, Side side, OrdType ordType,
                            TimeInForce timeInForce, long price, long quantity, long quoteBudget) {
        ClOrdId.checkNew(clOrdId);
        if (!canSend()) {
            return false;
        }
        commit(encoder.newOrder(outbound, claim(), clOrdId, securityId, side, ordType, timeInForce, price,
            quantity, quoteBudget));
        return true;
    }

    /** Cancels an order by the venue's order id. */
    public boolean cancel(long orderId) {
        requireOrderId(orderId);
        if (!canSend()) {
            return false;
        }
        commit(encoder.cancelOrder(outbound, claim(), orderId, null));
        return true;
    }

    /** Cancels an order by its clOrdId ({@code "~q<securityId>b"} or {@code "a"} for a quote order). */
    public boolean cancelByClOrdId(CharSequence origClOrdId) {
        ClOrdId.checkExisting(origClOrdId);
        if (!canSend()) {
            return false;
        }
        commit(encoder.cancelOrder(outbound, claim(), 0, origClOrdId));
        return true;
    }

    /** Amends a live order named by order id: new price (ticks) and new total quantity (lots, filled included). */
    public boolean amend(long orderId, long newPrice, long newQuantity) {
        requireOrderId(orderId);
        if (!canSend()) {
            return false;
        }
        commit(encoder.amendOrder(outbound, claim(), orderId, null, newPrice, newQuantity));
        return true;
    }

    /** Amends a live order named by its clOrdId. */
    public boolean amendByClOrdId(CharSequence origClOrdId, long newPrice, long newQuantity) {
        ClOrdId.checkExisting(origClOrdId);
        if (!canSend()) {
            return false;
        }
        commit(encoder.amendOrder(outbound, claim(), 0, origClOrdId, newPrice, newQuantity));
        return true;
    }

    /**
     * Cancels the account's live orders on one instrument ({@code securityId} 0: all) and side; a
     * MassCancelAck with {@code requestId} follows their execution reports.
     */
    public boolean massCancel(long requestId, long securityId, SideFilter side) {
        if (!canSend()) {
            return false;
        }
        commit(encoder.massCancel(outbound, claim(), requestId, securityId, side));
        return true;
    }

    /**
     * Starts a MassQuote: add quotes to the returned builder (the client's one, reused) and
     * {@link MassQuoteBuilder#send()} it.
     *
     * @param timeInForce GTC or POST_ONLY
     */
    public MassQuoteBuilder massQuote(long requestId, TimeInForce timeInForce) {
        return massQuote.start(requestId, timeInForce);
    }

    boolean sendMassQuote(long requestId, TimeInForce timeInForce, long[] quotes, int count) {
        if (!canSend()) {
            return false;
        }
        commit(encoder.massQuote(outbound, claim(), requestId, timeInForce, quotes, count));
        return true;
    }

    /** Writes the sends batched so far (with batching on; otherwise there are none). */
    public void flush() {
        if (pendingLength == 0) {
            return;
        }
        if (socket != null) {
            socket.write(Buffer.buffer(pendingLength).appendBytes(outboundBytes, 0, pendingLength));
            keepAlive.onSent(System.nanoTime());
        }
        pendingLength = 0;
    }

    // ------------------------------------------------------------------------------------------------
    // State

    public long uuid() {
        return config.uuid();
    }

    /** The highest seqNo delivered to the listener; every report up to it was delivered once, in order. */
    public long lastSeqNo() {
        return tracker.lastSeqNo();
    }

    public boolean established() {
        return state == State.ESTABLISHED;
    }

    /** Whether the socket's write queue is full (sends return false until {@link BinaryListener#onWritable()}). */
    public boolean writeQueueFull() {
        return socket != null && socket.writeQueueFull();
    }

    /** The context the client is confined to. */
    public Context context() {
        return context;
    }

    // ------------------------------------------------------------------------------------------------
    // Connection

    private <T> Future<T> onContext(Supplier<Future<T>> action) {
        if (Vertx.currentContext() == context) {
            return action.get();
        }
        Promise<T> promise = Promise.promise();
        context.runOnContext(v -> action.get().onComplete(promise));
        return promise.future();
    }

    private Future<Established> doConnect() {
        if (state != State.DISCONNECTED) {
            return Future.failedFuture(new IllegalStateException("cannot connect: " + state));
        }
        thread = Thread.currentThread();
        state = State.CONNECTING;
        Promise<Established> promise = Promise.promise();
        connecting = promise;
        handshakeTimer = vertx.setTimer(config.connectTimeoutMs(), id -> {
            handshakeTimer = -1;
            if (connecting == promise) {
                detach(new SessionException(0, "no answer within " + config.connectTimeoutMs() + " ms"));
            }
        });
        netClient.connect(config.port(), config.host()).onComplete(connected -> {
            if (connecting != promise) {
                if (connected.succeeded()) {
                    connected.result().close();
                }
                return;
            }
            if (connected.failed()) {
                connecting = null;
                cancelTimer(handshakeTimer);
                handshakeTimer = -1;
                state = State.DISCONNECTED;
                promise.fail(connected.cause());
                return;
            }
            onConnected(connected.result());
        });
        return promise.future();
    }

    private void onConnected(NetSocket connected) {
        socket = connected;
        reader.reset();
        pendingLength = 0;
        connected.handler(chunk -> onData(connected, chunk));
        connected.closeHandler(v -> {
            if (socket == connected) {
                detach(new SessionException(0, "connection closed by the server"));
            }
        });
        connected.exceptionHandler(e -> LOG.log(System.Logger.Level.DEBUG, "binary connection error", e));
        connected.drainHandler(v -> {
            if (socket == connected && state == State.ESTABLISHED) {
                listener.onWritable();
            }
        });
        long timestampNs = nextRequestTimestampNs();
        if (negotiated) {
            sendEstablish(timestampNs);
        } else {
            state = State.NEGOTIATING;
            CancelOnDisconnect cod = config.cancelOnDisconnect() ? CancelOnDisconnect.ON : CancelOnDisconnect.OFF;
            byte[] signature = SessionSigning.sign(config.secret(), SessionSigning.negotiate(config.uuid(),
                timestampNs, config.accessKeyId(), cod, config.codGraceMs()));
            sendNow(encoder.negotiate(outbound, claim(), config.uuid(), timestampNs, cod, config.codGraceMs(),
                config.accessKeyId(), signature));
        }
    }

    private void sendEstablish(long timestampNs) {
        state = State.ESTABLISHING;
        byte[] signature = SessionSigning.sign(config.secret(), SessionSigning.establish(config.uuid(),
            timestampNs, config.accessKeyId(), config.keepAliveIntervalMs()));
        sendNow(encoder.establish(outbound, claim(), config.uuid(), timestampNs, config.keepAliveIntervalMs(),
            config.accessKeyId(), signature));
    }

    /** Nanoseconds since the epoch, strictly after the previous request's (the server requires it). */
    private long nextRequestTimestampNs() {
        Instant now = clock.instant();
        long ns = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        lastRequestTimestampNs = Math.max(ns, lastRequestTimestampNs + 1);
        return lastRequestTimestampNs;
    }

    private Future<Void> disconnectNow() {
        return detach(new SessionException(0, "disconnected by the client"));
    }

    /**
     * Leaves the current connection at once, whoever ended it: a connect in progress fails with
     * {@code failure}, a terminate completes, the listener hears {@link BinaryListener#onDisconnected()} if
     * the session was established. Frames still in flight on the old socket are ignored.
     */
    private Future<Void> detach(SessionException failure) {
        NetSocket old = socket;
        State was = state;
        socket = null;
        if (state != State.CLOSED) {
            state = State.DISCONNECTED;
        }
        cancelTimer(handshakeTimer);
        cancelTimer(keepAliveTimer);
        handshakeTimer = -1;
        keepAliveTimer = -1;
        pendingLength = 0;
        reader.reset();
        tracker.onDisconnected();
        Promise<Established> connect = connecting;
        Promise<Void> terminate = terminating;
        connecting = null;
        terminating = null;
        Future<Void> closed = old == null ? Future.succeededFuture() : old.close();
        if (connect != null) {
            connect.fail(failure != null ? failure : new SessionException(0, "connection closed"));
        }
        if (terminate != null) {
            terminate.complete();
        }
        if (was == State.ESTABLISHED || was == State.TERMINATING) {
            listener.onDisconnected();
        }
        return closed;
    }

    private void cancelTimer(long id) {
        if (id != -1) {
            vertx.cancelTimer(id);
        }
    }

    private void onKeepAliveTick() {
        if (state != State.ESTABLISHED && state != State.TERMINATING) {
            return;
        }
        long nowNs = System.nanoTime();
        if (keepAlive.lapsed(nowNs)) {
            sendNow(encoder.terminate(outbound, claim(), config.uuid(), ProtocolCode.KEEPALIVE_LAPSED.code(),
                ProtocolCode.KEEPALIVE_LAPSED.text()));
            detach(null);
            return;
        }
        if (keepAlive.heartbeatDue(nowNs)) {
            sendNow(encoder.sequence(outbound, claim()));
        }
        tracker.retry();
    }

    // ------------------------------------------------------------------------------------------------
    // Sending

    private boolean canSend() {
        if (state != State.ESTABLISHED) {
            return false;
        }
        assert Thread.currentThread() == thread : "BinaryClient used off its context";
        return !socket.writeQueueFull();
    }

    private static void requireOrderId(long orderId) {
        if (orderId == 0) {
            throw new IllegalArgumentException("orderId 0 names no order");
        }
    }

    /** Where the next frame goes, writing what is pending first if it might not fit. */
    private int claim() {
        if (outboundBytes.length - pendingLength < Framing.MAX_FRAME_LENGTH) {
            flush();
        }
        return pendingLength;
    }

    /** Takes an application frame just encoded at {@link #claim()}: written now or at the end of the turn. */
    private void commit(int frameLength) {
        pendingLength += frameLength;
        if (!config.batching()) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            context.runOnContext(flushTask);
        }
    }

    /** Takes a session frame just encoded at {@link #claim()} and writes it with anything pending before it. */
    private void sendNow(int frameLength) {
        pendingLength += frameLength;
        flush();
    }

    // ------------------------------------------------------------------------------------------------
    // Receiving

    private void onData(NetSocket from, Buffer chunk) {
        if (from != socket) {
            return;
        }
        keepAlive.onReceived(System.nanoTime());
        if (!reader.onData(chunk)) {
            protocolError(ProtocolCode.FRAMING_ERROR, "bad frame length or encoding type from the server");
        }
    }

    private void onMessage(DirectBuffer buffer, int offset, int length) {
        try {
            dispatch(buffer, offset, length);
        } catch (RuntimeException e) {
            Handler<Throwable> handler = context.exceptionHandler() != null
                ? context.exceptionHandler() : vertx.exceptionHandler();
            if (handler != null) {
                handler.handle(e);
            } else {
                LOG.log(System.Logger.Level.ERROR, "binary client: handling a message failed", e);
            }
        }
    }

    private void dispatch(DirectBuffer buffer, int offset, int length) {
        header.wrap(buffer, offset);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID
            || header.version() != MessageHeaderDecoder.SCHEMA_VERSION) {
            protocolError(ProtocolCode.UNSUPPORTED_SCHEMA, "schema " + header.schemaId() + " version "
                + header.version() + " from the server");
            return;
        }
        int templateId = header.templateId();
        int blockLength = header.blockLength();
        int version = header.version();
        int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        if (MessageHeaderDecoder.ENCODED_LENGTH + blockLength > length) {
            protocolError(ProtocolCode.MALFORMED_MESSAGE, "template " + templateId + " shorter than its block");
            return;
        }
        switch (state) {
            case NEGOTIATING -> onNegotiating(templateId, buffer, body, blockLength, version);
            case ESTABLISHING -> onEstablishing(templateId, buffer, body, blockLength, version);
            case ESTABLISHED, TERMINATING -> onEstablished(templateId, buffer, offset, length, blockLength, version);
            default -> {
                // No connection: bytes left in a chunk after it ended are dropped.
            }
        }
    }

    private void onNegotiating(int templateId, DirectBuffer buffer, int body, int blockLength, int version) {
        switch (templateId) {
            case NegotiationResponseDecoder.TEMPLATE_ID -> {
                negotiationResponse.wrap(buffer, body, blockLength, version);
                if (negotiationResponse.uuid() != config.uuid()) {
                    protocolError(ProtocolCode.PROTOCOL_ERROR, "NegotiationResponse for another uuid");
                    return;
                }
                negotiated = true;
                sendEstablish(nextRequestTimestampNs());
            }
            case NegotiationRejectDecoder.TEMPLATE_ID -> {
                negotiationReject.wrap(buffer, body, blockLength, version);
                int code = negotiationReject.errorCode();
                if (code == ProtocolCode.UUID_TAKEN.code()) {
                    // Our own earlier Negotiate may have been recorded with its answer lost: Establish next.
                    negotiated = true;
                }
                detach(new SessionException(code, negotiationReject.reason()));
            }
            case TerminateDecoder.TEMPLATE_ID -> onTerminate(buffer, body, blockLength, version);
            case SequenceDecoder.TEMPLATE_ID -> {
                // A heartbeat: receiving it was enough.
            }
            default -> protocolError(ProtocolCode.PROTOCOL_ERROR, "template " + templateId + " while negotiating");
        }
    }

    private void onEstablishing(int templateId, DirectBuffer buffer, int body, int blockLength, int version) {
        switch (templateId) {
            case EstablishmentAckDecoder.TEMPLATE_ID -> {
                establishmentAck.wrap(buffer, body, blockLength, version);
                onEstablishmentAck(establishmentAck.nextSeqNo(), establishmentAck.keepAliveIntervalMs());
            }
            case EstablishmentRejectDecoder.TEMPLATE_ID -> {
                establishmentReject.wrap(buffer, body, blockLength, version);
                int code = establishmentReject.errorCode();
                detach(new SessionException(code, establishmentReject.reason()));
            }
            case TerminateDecoder.TEMPLATE_ID -> onTerminate(buffer, body, blockLength, version);
            case SequenceDecoder.TEMPLATE_ID -> {
                // A heartbeat: receiving it was enough.
            }
            default -> protocolError(ProtocolCode.PROTOCOL_ERROR, "template " + templateId + " while establishing");
        }
    }

    private void onEstablishmentAck(long nextSeqNo, long ackedKeepAliveIntervalMs) {
        if (nextSeqNo <= tracker.lastSeqNo()) {
            SessionException mismatch = new SessionException(0, "the server's nextSeqNo " + nextSeqNo
                + " is not above this client's lastSeqNo " + tracker.lastSeqNo());
            sendNow(encoder.terminate(outbound, claim(), config.uuid(), ProtocolCode.PROTOCOL_ERROR.code(),
                "nextSeqNo below the client's last seqNo"));
            detach(mismatch);
            return;
        }
        long intervalMs = ackedKeepAliveIntervalMs > 0 ? ackedKeepAliveIntervalMs : config.keepAliveIntervalMs();
        cancelTimer(handshakeTimer);
        handshakeTimer = -1;
        state = State.ESTABLISHED;
        keepAlive.start(intervalMs, System.nanoTime());
        keepAliveTimer = vertx.setPeriodic(KeepAlive.checkPeriodMs(intervalMs), id -> onKeepAliveTick());
        tracker.onEstablished(nextSeqNo);
        Promise<Established> promise = connecting;
        connecting = null;
        if (promise != null) {
            promise.complete(new Established(nextSeqNo, intervalMs));
        }
    }

    private void onEstablished(int templateId, DirectBuffer buffer, int offset, int length, int blockLength,
                               int version) {
        int body = offset + MessageHeaderDecoder.ENCODED_LENGTH;
        switch (templateId) {
            case ExecutionReportDecoder.TEMPLATE_ID -> {
                report.wrap(buffer, body, blockLength, version);
                tracker.onReport(report.seqNo(), report.possRetransRaw() == BooleanFlag.TRUE.value(),
                    buffer, offset, length);
            }
            case BusinessRejectDecoder.TEMPLATE_ID ->
                listener.onBusinessReject(businessReject.wrap(buffer, body, blockLength, version));
            case ThrottleRejectDecoder.TEMPLATE_ID ->
                listener.onThrottleReject(throttleReject.wrap(buffer, body, blockLength, version));
            case MassQuoteAckDecoder.TEMPLATE_ID ->
                listener.onMassQuoteAck(massQuoteAck.wrap(buffer, body, blockLength, version));
            case MassCancelAckDecoder.TEMPLATE_ID ->
                listener.onMassCancelAck(massCancelAck.wrap(buffer, body, blockLength, version));
            case SequenceDecoder.TEMPLATE_ID ->
                tracker.onSequence(sequence.wrap(buffer, body, blockLength, version).nextSeqNo());
            case RetransmissionDecoder.TEMPLATE_ID ->
                tracker.onRetransmission(retransmission.wrap(buffer, body, blockLength, version).count());
            case RetransmitRejectDecoder.TEMPLATE_ID -> {
                retransmitReject.wrap(buffer, body, blockLength, version);
                long fromSeqNo = retransmitReject.fromSeqNo();
                long count = retransmitReject.count();
                int code = retransmitReject.errorCode();
                String reason = retransmitReject.reason();
                listener.onRetransmitReject(fromSeqNo, count, code, reason, tracker.rejectSkips(code));
                tracker.onRetransmitReject(code);
            }
            case TerminateDecoder.TEMPLATE_ID -> onTerminate(buffer, body, blockLength, version);
            default -> {
                // A template this client does not know (a later schema version): ignored.
            }
        }
    }

    private void onTerminate(DirectBuffer buffer, int body, int blockLength, int version) {
        terminate.wrap(buffer, body, blockLength, version);
        int code = terminate.errorCode();
        String reason = terminate.reason();
        if (state == State.ESTABLISHED || state == State.TERMINATING) {
            listener.onTerminate(code, reason);
        }
        detach(new SessionException(code, reason));
    }

    /** The server broke the protocol: tell it why and drop the connection. */
    private void protocolError(ProtocolCode code, String reason) {
        if (socket == null) {
            return;
        }
        LOG.log(System.Logger.Level.WARNING, "binary client: " + reason);
        sendNow(encoder.terminate(outbound, claim(), config.uuid(), code.code(), reason));
        detach(new SessionException(code.code(), reason));
    }
}
