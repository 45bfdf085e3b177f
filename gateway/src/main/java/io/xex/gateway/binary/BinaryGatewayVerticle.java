package io.xex.gateway.binary;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.pgclient.PgException;
import io.xex.gateway.GatewayMetric;
import io.xex.gateway.auth.ApiKey;
import io.xex.gateway.auth.ApiKeyStore;
import io.xex.matching.Command;
import io.xex.matching.MatchingEngine;
import io.xex.protocol.Framing;
import io.xex.protocol.ProtocolCode;
import io.xex.protocol.SessionSigning;
import io.xex.protocol.sbe.AmendOrderDecoder;
import io.xex.protocol.sbe.CancelOrderDecoder;
import io.xex.protocol.sbe.EstablishDecoder;
import io.xex.protocol.sbe.MassCancelDecoder;
import io.xex.protocol.sbe.MassQuoteDecoder;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.NegotiateDecoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.protocol.sbe.RetransmitRequestDecoder;
import io.xex.protocol.sbe.SequenceDecoder;
import io.xex.protocol.sbe.TerminateDecoder;
import io.xex.runtime.engine.CommandResult;
import io.xex.runtime.engine.EngineRuntime;
import io.xex.runtime.history.ExecutionReport;
import io.xex.runtime.history.ExecutionReports;
import io.xex.runtime.history.HistoryWriter;
import io.xex.runtime.history.NumberedReport;
import io.xex.runtime.store.HistoryStore;
import org.agrona.concurrent.UnsafeBuffer;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * The binary order-entry gateway (docs/binary-protocol.md): a TCP server speaking SBE in SOFH frames, with a
 * FIXP-style session layer. Sessions outlive connections and restarts; their sequenced messages are the
 * account's execution reports, numbered as history numbers them, so a retransmission is served from memory
 * or, for older ones, from history.
 *
 * <p>One instance; everything it holds is confined to its context. The engine is reached only through the
 * runtime's proxy and adapter; the database only for sessions and old reports.
 */
public final class BinaryGatewayVerticle extends VerticleBase {
    private static final long NS_PER_MS = 1_000_000L;
    private static final long ASSIGNED_BY_RUNTIME = 1;
    private static final long RETRANSMIT_TIMEOUT_MS = 10_000;
    private static final String UNIQUE_VIOLATION = "23505";

    private final BinaryConfig config;
    private final EngineRuntime engine;
    private final HistoryWriter history;
    private final HistoryStore historyStore;
    private final SessionStore sessionStore;
    private final ApiKeyStore keys;
    private final MeterRegistry registry;
    private final LongSupplier clockMs;
    private final Wire wire = new Wire();

    // Decoders: flyweights reused for every frame.
    private final UnsafeBuffer frame = new UnsafeBuffer(new byte[0]);
    private final MessageHeaderDecoder header = new MessageHeaderDecoder();
    private final NegotiateDecoder negotiate = new NegotiateDecoder();
    private final EstablishDecoder establish = new EstablishDecoder();
    private final SequenceDecoder sequence = new SequenceDecoder();
    private final RetransmitRequestDecoder retransmitRequest = new RetransmitRequestDecoder();
    private final TerminateDecoder terminate = new TerminateDecoder();
    private final NewOrderDecoder newOrder = new NewOrderDecoder();
    private final CancelOrderDecoder cancelOrder = new CancelOrderDecoder();
    private final AmendOrderDecoder amendOrder = new AmendOrderDecoder();
    private final MassCancelDecoder massCancel = new MassCancelDecoder();
    private final MassQuoteDecoder massQuote = new MassQuoteDecoder();
    private final byte[] signature = new byte[SessionSigning.SIGNATURE_LENGTH];

    // Confined to this verticle's context:
    private final Map<Long, AccountState> accounts = new HashMap<>();
    private final Map<Long, BinarySession> sessions = new HashMap<>();
    private final Map<Long, Connection> connections = new LinkedHashMap<>();
    private List<List<CommandResult>> early = new ArrayList<>();
    private final List<Waiting> afterReported = new ArrayList<>();
    private long seedSequence = -1;
    private long processedSequence;
    private OrderEntry orderEntry;
    private NetServer server;
    private long housekeepingTimer = -1;
    private long nextConnectionId = 1;
    private volatile int port;
    private volatile int openConnections;
    private volatile int established;
    private final Map<ProtocolCode, Counter> terminations = new java.util.EnumMap<>(ProtocolCode.class);
    private Counter rejectedFrames;
    private Counter throttled;
    private Counter codCancels;

    public BinaryGatewayVerticle(BinaryConfig config, EngineRuntime engine, HistoryWriter history,
                                 io.vertx.sqlclient.Pool pool, ApiKeyStore keys, MeterRegistry registry,
                                 LongSupplier clockMs) {
        this.config = config;
        this.engine = engine;
        this.history = history;
        this.historyStore = new HistoryStore(pool);
        this.sessionStore = new SessionStore(pool);
        this.keys = keys;
        this.registry = registry;
        this.clockMs = clockMs;
    }

    @Override
    public Future<?> start() {
        registerMeters();
        orderEntry = new OrderEntry(this::afterReported, engine.proxy(), wire, clockMs);
        // Subscribe first, then read the sequence to seed at: every result after it arrives after the seed.
        engine.events().subscribe(this::onResults);
        return sessionStore.all().compose(stored -> {
            Set<Long> codAccounts = new HashSet<>();
            stored.stream().filter(SessionStore.Stored::cancelOnDisconnect).forEach(s -> codAccounts.add(s.accountId()));
            return engine.proxy().query(e -> liveOrders(e, codAccounts)).compose(answer -> {
                seedSequence = answer.sequence();
                return history.caughtUp(seedSequence)
                    .compose(v -> historyStore.reportCounts(seedSequence))
                    .compose(counts -> {
                        counts.forEach((account, count) -> accounts.put(account, newAccount(account, count)));
                        return restoreSessions(stored, answer.value());
                    });
            });
        }).compose(v -> {
            processedSequence = seedSequence;
            List<List<CommandResult>> buffered = early;
            early = null;
            buffered.forEach(this::onResults);
            return listen();
        }).onSuccess(v -> housekeepingTimer = vertx.setPeriodic(Math.max(10, config.keepAliveMinMs() / 4),
            t -> housekeeping()));
    }

    /** The live order ids of each of {@code accountIds}; runs on the matching thread. */
    private static Map<Long, List<Long>> liveOrders(MatchingEngine engine, Set<Long> accountIds) {
        Map<Long, List<Long>> live = new HashMap<>();
        for (long accountId : accountIds) {
            List<Long> ids = new ArrayList<>();
            engine.forEachOrderOf(accountId, o -> ids.add(o.orderId()));
            live.put(accountId, ids);
        }
        return live;
    }

    private Future<Void> restoreSessions(List<SessionStore.Stored> stored, Map<Long, List<Long>> liveAtStart) {
        List<Future<?>> seeds = new ArrayList<>();
        Map<AccountState, Long> graceByAccount = new HashMap<>();
        for (SessionStore.Stored s : stored) {
            AccountState account = account(s.accountId());
            BinarySession session = new BinarySession(s.uuid(), s.keyId(), account, s.cancelOnDisconnect(),
                s.codGraceMs(), s.baseReportNo(), s.lastRequestNs());
            sessions.put(s.uuid(), session);
            if (!account.tracksOrders) {
                account.tracksOrders = true;
                account.keepRecentReports(config.reportsInMemory());
                seeds.add(seedRecentOrders(account, seedSequence));
            }
            account.sessions.add(session);
            if (session.cancelOnDisconnect) {
                graceByAccount.merge(account, session.codGraceMs, Math::max);
            }
        }
        // Which session entered which order is not known across a restart: an account with a cancel-on-disconnect
        // session has the orders it had at the restart cancelled unless one of its sessions is established
        // within the longest of their grace windows.
        graceByAccount.forEach((account, grace) -> {
            liveAtStart.getOrDefault(account.accountId, List.of()).forEach(account.ordersAtRestart::add);
            if (account.ordersAtRestart.isEmpty()) {
                return;
            }
            vertx.setTimer(Math.max(1, grace), t -> {
                boolean back = account.sessions.stream().anyMatch(s -> s.connection != null);
                if (!back && !account.ordersAtRestart.isEmpty()) {
                    codCancels.increment();
                    account.ordersAtRestart.forEach(orderId ->
                        engine.proxy().submit(new Command.CancelOrder(account.accountId, orderId, null)));
                }
                account.ordersAtRestart.clear();
            });
        });
        return Future.all(seeds).mapEmpty();
    }

    /**
     * Remembers the client order ids of the account's orders created through {@code sequence}, from history once it
     * has them; later ones are remembered as their reports arrive, since the account now tracks its orders.
     */
    private Future<Void> seedRecentOrders(AccountState account, long sequence) {
        if (config.dedupOrders() == 0) {
            return Future.succeededFuture();
        }
        return history.caughtUp(sequence)
            .compose(v -> sessionStore.recentClientOrderIds(account.accountId, sequence, config.dedupOrders()))
            .map(orders -> {
                for (SessionStore.RecentOrder order : orders.reversed()) {
                    account.rememberOrder(order.clientOrderId(), order.orderId());
                }
                return null;
            });
    }

    private Future<Void> listen() {
        NetServerOptions options = new NetServerOptions().setHost(config.host()).setPort(config.port())
            .setTcpNoDelay(true);
        server = vertx.createNetServer(options).connectHandler(this::connected);
        return server.listen().map(s -> {
            port = s.actualPort();
            return null;
        });
    }

    /** The port the server listens on (after start). */
    public int port() {
        return port;
    }

    /** Tells every established session the server is going away, then closes every connection. */
    public Future<Void> shutdown() {
        Promise<Void> done = Promise.promise();
        context.runOnContext(v -> {
            try {
                for (Connection c : new ArrayList<>(connections.values())) {
                    terminateConnection(c, ProtocolCode.SERVER_SHUTDOWN, ProtocolCode.SERVER_SHUTDOWN.text());
                }
                if (housekeepingTimer >= 0) {
                    vertx.cancelTimer(housekeepingTimer);
                }
                Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
                closed.onComplete(done);
            } catch (RuntimeException | Error e) {
                // A shutdown that throws must still end, or the venue's stop waits for ever.
                done.tryFail(e);
            }
        });
        return done.future();
    }

    @Override
    public Future<?> stop() {
        return server == null ? Future.succeededFuture() : server.close();
    }

    private void registerMeters() {
        Gauge.builder(GatewayMetric.BINARY_CONNECTIONS.meterName(), this, g -> g.openConnections)
            .description(GatewayMetric.BINARY_CONNECTIONS.description()).register(registry);
        Gauge.builder(GatewayMetric.BINARY_ESTABLISHED.meterName(), this, g -> g.established)
            .description(GatewayMetric.BINARY_ESTABLISHED.description()).register(registry);
        rejectedFrames = counter(GatewayMetric.BINARY_MALFORMED);
        throttled = counter(GatewayMetric.BINARY_THROTTLED);
        codCancels = counter(GatewayMetric.BINARY_CANCEL_ON_DISCONNECT);
    }

    private Counter counter(GatewayMetric metric) {
        return Counter.builder(metric.meterName()).description(metric.description()).register(registry);
    }

    private void countTermination(ProtocolCode code) {
        terminations.computeIfAbsent(code, c -> Counter.builder(GatewayMetric.BINARY_TERMINATED.meterName())
            .description(GatewayMetric.BINARY_TERMINATED.description()).tag("code", Integer.toString(c.code()))
            .register(registry)).increment();
    }

    // ---------------------------------------------------------------------------------------------
    // Durable results → execution reports

    private void onResults(List<CommandResult> results) {
        assert onContext() : "results off the gateway's context";
        if (early != null) {
            early.add(results);
            return;
        }
        for (CommandResult result : results) {
            if (result.sequence() <= processedSequence) {
                continue;
            }
            processedSequence = result.sequence();
            ExecutionReports.of(result, this::onReport);
        }
        if (!afterReported.isEmpty()) {
            List<Waiting> ready = new ArrayList<>();
            afterReported.removeIf(w -> w.sequence <= processedSequence && ready.add(w));
            ready.forEach(w -> w.action.run());
        }
        flushDirty();
    }

    /**
     * Runs {@code action} once the reports of every result through {@code sequence} have been encoded: a
     * command's submitter hears of it before its results are handed out, and answers such as a MassCancelAck
     * must follow the reports.
     */
    private void afterReported(long sequence, Runnable action) {
        if (sequence <= processedSequence) {
            action.run();
        } else {
            afterReported.add(new Waiting(sequence, action));
        }
    }

    private record Waiting(long sequence, Runnable action) {
    }

    private void onReport(ExecutionReport report) {
        AccountState account = account(report.accountId());
        long number = account.add(report);
        if (AccountState.ended(report)) {
            account.ordersAtRestart.remove(report.orderId());
            orderEntry.ended(report.orderId());
        }
        for (int i = 0; i < account.sessions.size(); i++) {
            BinarySession session = account.sessions.get(i);
            if (session.connection != null) {
                wire.executionReport(session.connection, number - session.baseReportNo, false, report);
            }
        }
    }

    private AccountState account(long accountId) {
        return accounts.computeIfAbsent(accountId, id -> newAccount(id, 0));
    }

    private AccountState newAccount(long accountId, long reportCount) {
        return new AccountState(accountId, reportCount, config.dedupOrders());
    }

    // ---------------------------------------------------------------------------------------------
    // Connections and frames

    private void connected(NetSocket socket) {
        Connection c = new Connection(nextConnectionId++, socket, clockMs.getAsLong());
        connections.put(c.id, c);
        openConnections = connections.size();
        socket.setWriteQueueMaxSize(config.writeQueueBytes());
        socket.handler(buffer -> {
            c.lastReceivedMs = clockMs.getAsLong();
            c.received(buffer);
            process(c);
            flushDirty();
        });
        socket.exceptionHandler(e -> socket.close());
        socket.closeHandler(v -> closed(c));
    }

    /** Frames and handles what a connection received, until it runs out, waits, or closes. */
    private void process(Connection c) {
        assert onContext() : "frames handled off the gateway's context";
        int position = 0;
        byte[] bytes = c.in.byteArray();
        while (!c.busy && !c.closed && c.inLength - position >= Framing.HEADER_LENGTH) {
            frame.wrap(bytes, position, c.inLength - position);
            int length = Framing.frameLength(frame, 0);
            if (!Framing.validLength(length) || Framing.encodingType(frame, 0) != Framing.SBE_LITTLE_ENDIAN) {
                rejectedFrames.increment();
                terminateConnection(c, ProtocolCode.FRAMING_ERROR, "frame length " + Integer.toUnsignedString(length)
                    + " or encoding type 0x" + Integer.toHexString(Framing.encodingType(frame, 0)) + " not allowed");
                return;
            }
            if (c.inLength - position < length) {
                break;
            }
            frame.wrap(bytes, position + Framing.HEADER_LENGTH, length - Framing.HEADER_LENGTH);
            position += length;
            handle(c);
        }
        if (!c.closed) {
            c.consumed(position);
        }
    }

    /** Handles the message in {@link #frame}: its SBE header and body, nothing beyond. */
    private void handle(Connection c) {
        int length = frame.capacity();
        header.wrap(frame, 0);
        if (header.schemaId() != MessageHeaderDecoder.SCHEMA_ID || header.version() != MessageHeaderDecoder.SCHEMA_VERSION) {
            rejectedFrames.increment();
            terminateConnection(c, ProtocolCode.UNSUPPORTED_SCHEMA, "schema " + header.schemaId() + " version "
                + header.version() + "; this server speaks schema " + MessageHeaderDecoder.SCHEMA_ID + " version "
                + MessageHeaderDecoder.SCHEMA_VERSION);
            return;
        }
        int templateId = header.templateId();
        int blockLength = header.blockLength();
        int bodyLength = length - MessageHeaderDecoder.ENCODED_LENGTH;
        int offset = MessageHeaderDecoder.ENCODED_LENGTH;
        if (c.session == null) {
            switch (templateId) {
                case NegotiateDecoder.TEMPLATE_ID -> {
                    if (fits(c, templateId, blockLength, bodyLength, NegotiateDecoder.BLOCK_LENGTH)) {
                        negotiate.wrap(frame, offset, blockLength, header.version());
                        onNegotiate(c);
                    }
                }
                case EstablishDecoder.TEMPLATE_ID -> {
                    if (fits(c, templateId, blockLength, bodyLength, EstablishDecoder.BLOCK_LENGTH)) {
                        establish.wrap(frame, offset, blockLength, header.version());
                        onEstablish(c);
                    }
                }
                case TerminateDecoder.TEMPLATE_ID -> closeAfterFlush(c);
                default -> {
                    rejectedFrames.increment();
                    terminateConnection(c, ProtocolCode.NOT_ESTABLISHED, "template " + templateId
                        + " before Establish; send Negotiate (new session) or Establish");
                }
            }
            return;
        }
        switch (templateId) {
            case SequenceDecoder.TEMPLATE_ID -> {
                // A heartbeat: receiving it was the point.
            }
            case RetransmitRequestDecoder.TEMPLATE_ID -> {
                if (fits(c, templateId, blockLength, bodyLength, RetransmitRequestDecoder.BLOCK_LENGTH)) {
                    retransmitRequest.wrap(frame, offset, blockLength, header.version());
                    onRetransmitRequest(c);
                }
            }
            case TerminateDecoder.TEMPLATE_ID -> terminateConnection(c, ProtocolCode.FINISHED, ProtocolCode.FINISHED.text());
            case NegotiateDecoder.TEMPLATE_ID, EstablishDecoder.TEMPLATE_ID -> {
                rejectedFrames.increment();
                terminateConnection(c, ProtocolCode.PROTOCOL_ERROR, "template " + templateId + " on an established session");
            }
            case NewOrderDecoder.TEMPLATE_ID -> {
                if (fits(c, templateId, blockLength, bodyLength, NewOrderDecoder.BLOCK_LENGTH)) {
                    newOrder.wrap(frame, offset, blockLength, header.version());
                    if (admitted(c, templateId)) {
                        orderEntry.newOrder(c, newOrder);
                    }
                }
            }
            case CancelOrderDecoder.TEMPLATE_ID -> {
                if (fits(c, templateId, blockLength, bodyLength, CancelOrderDecoder.BLOCK_LENGTH)) {
                    cancelOrder.wrap(frame, offset, blockLength, header.version());
                    if (admitted(c, templateId)) {
                        orderEntry.cancel(c, cancelOrder);
                    }
                }
            }
            case AmendOrderDecoder.TEMPLATE_ID -> {
                if (fits(c, templateId, blockLength, bodyLength, AmendOrderDecoder.BLOCK_LENGTH)) {
                    amendOrder.wrap(frame, offset, blockLength, header.version());
                    if (admitted(c, templateId)) {
                        orderEntry.amend(c, amendOrder);
                    }
                }
            }
            case MassCancelDecoder.TEMPLATE_ID -> {
                if (fits(c, templateId, blockLength, bodyLength, MassCancelDecoder.BLOCK_LENGTH)) {
                    massCancel.wrap(frame, offset, blockLength, header.version());
                    if (admitted(c, templateId)) {
                        orderEntry.massCancel(c, massCancel);
                    }
                }
            }
            case MassQuoteDecoder.TEMPLATE_ID -> {
                if (fits(c, templateId, blockLength, bodyLength, MassQuoteDecoder.BLOCK_LENGTH)) {
                    massQuote.wrap(frame, offset, blockLength, header.version());
                    if (admitted(c, templateId)) {
                        orderEntry.massQuote(c, massQuote, frame, offset + blockLength, length);
                    }
                }
            }
            default -> {
                rejectedFrames.increment();
                businessReject(c, templateId, "", 0, 0, ProtocolCode.UNKNOWN_TEMPLATE.code(),
                    "unknown template id " + templateId);
            }
        }
    }

    /**
     * Whether the body holds the message's block: a block shorter than this version's, or a body shorter than
     * its block, is refused (a business reject once established, else a terminate).
     */
    private boolean fits(Connection c, int templateId, int blockLength, int bodyLength, int expectedBlockLength) {
        if (blockLength >= expectedBlockLength && bodyLength >= blockLength) {
            return true;
        }
        rejectedFrames.increment();
        String reason = "template " + templateId + ": block length " + blockLength + " in a body of " + bodyLength
            + " bytes; expected at least " + expectedBlockLength;
        if (c.session == null) {
            terminateConnection(c, ProtocolCode.MALFORMED_MESSAGE, reason);
        } else {
            businessReject(c, templateId, "", 0, 0, ProtocolCode.MALFORMED_MESSAGE.code(), reason);
        }
        return false;
    }

    /**
     * The session's message rate: false (and a ThrottleReject naming the message, read from its decoder, which
     * is still wrapped on it) when it is over it.
     */
    private boolean admitted(Connection c, int templateId) {
        BinarySession session = c.session;
        long now = clockMs.getAsLong();
        if (now - session.windowStartMs >= 1000 || now < session.windowStartMs) {
            session.windowStartMs = now;
            session.windowCount = 0;
        }
        if (++session.windowCount <= config.messagesPerSecond()) {
            return true;
        }
        throttled.increment();
        String clOrdId = "";
        long requestId = 0;
        long orderId = 0;
        switch (templateId) {
            case NewOrderDecoder.TEMPLATE_ID -> clOrdId = newOrder.clOrdId();
            case CancelOrderDecoder.TEMPLATE_ID -> {
                clOrdId = cancelOrder.origClOrdId();
                orderId = cancelOrder.orderId();
            }
            case AmendOrderDecoder.TEMPLATE_ID -> {
                clOrdId = amendOrder.origClOrdId();
                orderId = amendOrder.orderId();
            }
            case MassCancelDecoder.TEMPLATE_ID -> requestId = massCancel.requestId();
            case MassQuoteDecoder.TEMPLATE_ID -> requestId = massQuote.requestId();
            default -> {
            }
        }
        wire.throttleReject(c, templateId, OrderEntry.printable(clOrdId) ? clOrdId : "", requestId, orderId,
            Math.max(1, session.windowStartMs + 1000 - now));
        return false;
    }

    private void closed(Connection c) {
        c.closed = true;
        connections.remove(c.id);
        openConnections = connections.size();
        BinarySession session = c.session;
        if (session != null && session.connection == c) {
            session.connection = null;
            established--;
            c.session = null;
            if (session.cancelOnDisconnect) {
                armCancelOnDisconnect(session);
            }
        }
    }

    private void terminateConnection(Connection c, ProtocolCode code, String reason) {
        if (c.closed) {
            return;
        }
        countTermination(code);
        wire.terminate(c, c.session == null ? 0 : c.session.uuid, code.code(), reason);
        c.flush(clockMs.getAsLong());
        c.closed = true;
        c.socket.close();
    }

    private void housekeeping() {
        long now = clockMs.getAsLong();
        for (Connection c : new ArrayList<>(connections.values())) {
            if (c.closed) {
                continue;
            }
            if (c.session == null) {
                if (!c.busy && now - c.openedMs > config.handshakeTimeoutMs()) {
                    terminateConnection(c, ProtocolCode.NOT_ESTABLISHED, "no session established within "
                        + config.handshakeTimeoutMs() + " ms");
                }
                continue;
            }
            if (now - c.lastReceivedMs > 2 * c.keepAliveMs) {
                terminateConnection(c, ProtocolCode.KEEPALIVE_LAPSED, "nothing received for " + (now - c.lastReceivedMs)
                    + " ms; keep-alive interval " + c.keepAliveMs + " ms");
                continue;
            }
            if (c.socket.writeQueueFull()) {
                if (c.slowSinceMs < 0) {
                    c.slowSinceMs = now;
                } else if (now - c.slowSinceMs > config.slowConsumerTimeoutMs()) {
                    terminateConnection(c, ProtocolCode.SLOW_CONSUMER, "more than " + config.writeQueueBytes()
                        + " bytes unread for " + (now - c.slowSinceMs) + " ms; reconnect and retransmit");
                    continue;
                }
            } else {
                c.slowSinceMs = -1;
            }
            if (now - c.lastSentMs >= c.keepAliveMs) {
                wire.sequence(c, c.session.nextSeqNo());
                c.flush(now);
            }
        }
    }

    /** Whether the caller runs on this verticle's context (checked by assertions, which tests enable). */
    private boolean onContext() {
        return Vertx.currentContext() == context;
    }

    private void flushDirty() {
        wire.flush(clockMs.getAsLong());
    }

    // ---------------------------------------------------------------------------------------------
    // Session layer

    private void onNegotiate(Connection c) {
        long uuid = negotiate.uuid();
        long timestamp = negotiate.requestTimestamp();
        short codRaw = negotiate.cancelOnDisconnectRaw();
        long grace = negotiate.codGraceMs();
        String keyId = negotiate.accessKeyId();
        negotiate.getHmacSignature(signature, 0, signature.length);
        if (codRaw != 0 && codRaw != 1) {
            negotiationRejected(c, uuid, timestamp, ProtocolCode.INVALID_FIELD, "cancelOnDisconnect must be 0 or 1");
            return;
        }
        boolean cod = codRaw == 1;
        ApiKey.Hmac key = verifiedKey(keyId, SessionSigning.negotiate(uuid, timestamp, keyId,
            cod ? io.xex.protocol.sbe.CancelOnDisconnect.ON : io.xex.protocol.sbe.CancelOnDisconnect.OFF, grace));
        ProtocolCode refusal = keyRefusal(keyId, key, timestamp);
        if (refusal == null && uuid == 0) {
            refusal = ProtocolCode.INVALID_UUID;
        }
        if (refusal == null && sessions.containsKey(uuid)) {
            refusal = ProtocolCode.UUID_TAKEN;
        }
        if (refusal == null && grace > config.codGraceMaxMs()) {
            negotiationRejected(c, uuid, timestamp, ProtocolCode.GRACE_OUT_OF_RANGE,
                "codGraceMs must be at most " + config.codGraceMaxMs());
            return;
        }
        if (refusal != null) {
            negotiationRejected(c, uuid, timestamp, refusal, refusal.text());
            return;
        }
        AccountState account = account(key.accountId());
        SessionStore.Stored stored = new SessionStore.Stored(uuid, keyId, key.accountId(), cod, grace,
            account.reportCount(), timestamp);
        c.busy = true;
        c.socket.pause();
        boolean firstSession = !account.tracksOrders;
        account.tracksOrders = true;
        Future<Void> seeded = firstSession ? seedRecentOrders(account, processedSequence) : Future.succeededFuture();
        sessionStore.insert(stored, clockMs.getAsLong() * NS_PER_MS).onComplete(inserted -> {
            assert onContext() : "Negotiate completed off the gateway's context";
            if (inserted.succeeded()) {
                // Recorded: the session exists whether or not its connection is still there.
                BinarySession session = new BinarySession(uuid, keyId, account, cod, grace, stored.baseReportNo(),
                    timestamp);
                sessions.put(uuid, session);
                account.keepRecentReports(config.reportsInMemory());
                account.sessions.add(session);
            }
            seeded.onComplete(v -> {
                assert onContext() : "Negotiate answered off the gateway's context";
                if (c.closed) {
                    return;
                }
                if (inserted.failed()) {
                    boolean taken = inserted.cause() instanceof PgException pg
                        && UNIQUE_VIOLATION.equals(pg.getSqlState());
                    ProtocolCode code = taken ? ProtocolCode.UUID_TAKEN : ProtocolCode.SESSION_STORE_UNAVAILABLE;
                    negotiationRejected(c, uuid, timestamp, code, code.text());
                } else {
                    wire.negotiationResponse(c, uuid, timestamp, cod, grace);
                    resumeAfterHandshake(c);
                }
                flushDirty();
            });
        });
    }

    private void negotiationRejected(Connection c, long uuid, long timestamp, ProtocolCode code, String reason) {
        wire.negotiationReject(c, uuid, timestamp, code.code(), reason);
        closeAfterFlush(c);
    }

    private void onEstablish(Connection c) {
        long uuid = establish.uuid();
        long timestamp = establish.requestTimestamp();
        long keepAlive = establish.keepAliveIntervalMs();
        String keyId = establish.accessKeyId();
        establish.getHmacSignature(signature, 0, signature.length);
        ApiKey.Hmac key = verifiedKey(keyId, SessionSigning.establish(uuid, timestamp, keyId, keepAlive));
        ProtocolCode refusal = keyRefusal(keyId, key, timestamp);
        BinarySession session = sessions.get(uuid);
        if (refusal == null && session == null) {
            refusal = ProtocolCode.UNKNOWN_UUID;
        }
        if (refusal == null && !session.keyId.equals(keyId)) {
            refusal = ProtocolCode.WRONG_KEY;
        }
        if (refusal == null && Long.compareUnsigned(timestamp, session.lastRequestNs) <= 0) {
            refusal = ProtocolCode.TIMESTAMP_NOT_INCREASING;
        }
        if (refusal == null && session.connection != null) {
            refusal = ProtocolCode.ALREADY_ESTABLISHED;
        }
        if (refusal == null && (keepAlive < config.keepAliveMinMs() || keepAlive > config.keepAliveMaxMs())) {
            establishmentRejected(c, uuid, timestamp, ProtocolCode.KEEPALIVE_OUT_OF_RANGE, "keepAliveIntervalMs must be "
                + config.keepAliveMinMs() + ".." + config.keepAliveMaxMs());
            return;
        }
        if (refusal != null) {
            establishmentRejected(c, uuid, timestamp, refusal, refusal.text());
            return;
        }
        c.busy = true;
        c.socket.pause();
        sessionStore.touch(uuid, timestamp).onComplete(ar -> {
            assert onContext() : "Establish completed off the gateway's context";
            if (ar.succeeded() && ar.result()) {
                session.lastRequestNs = Math.max(session.lastRequestNs, timestamp);
            }
            if (c.closed) {
                return;
            }
            if (ar.failed()) {
                establishmentRejected(c, uuid, timestamp, ProtocolCode.SESSION_STORE_UNAVAILABLE,
                    ProtocolCode.SESSION_STORE_UNAVAILABLE.text());
            } else if (!ar.result() || Long.compareUnsigned(timestamp, session.lastRequestNs) < 0) {
                establishmentRejected(c, uuid, timestamp, ProtocolCode.TIMESTAMP_NOT_INCREASING,
                    ProtocolCode.TIMESTAMP_NOT_INCREASING.text());
            } else if (session.connection != null) {
                establishmentRejected(c, uuid, timestamp, ProtocolCode.ALREADY_ESTABLISHED,
                    ProtocolCode.ALREADY_ESTABLISHED.text());
            } else {
                session.connection = c;
                established++;
                session.windowStartMs = clockMs.getAsLong();
                session.windowCount = 0;
                if (session.codTimer >= 0) {
                    vertx.cancelTimer(session.codTimer);
                    session.codTimer = -1;
                }
                c.session = session;
                c.keepAliveMs = keepAlive;
                wire.establishmentAck(c, uuid, timestamp, keepAlive, session.nextSeqNo());
                resumeAfterHandshake(c);
            }
            flushDirty();
        });
    }

    private void establishmentRejected(Connection c, long uuid, long timestamp, ProtocolCode code, String reason) {
        wire.establishmentReject(c, uuid, timestamp, code.code(), reason);
        closeAfterFlush(c);
    }

    private void closeAfterFlush(Connection c) {
        c.flush(clockMs.getAsLong());
        c.closed = true;
        c.socket.close();
    }

    /**
     * Goes on with a connection whose handshake step completed: first the frames that arrived meanwhile, then
     * the socket (resuming may hand over data at once, which must find the session's state already set).
     */
    private void resumeAfterHandshake(Connection c) {
        // Not now: a future that completed before its handler was attached runs the handler at once, which can be
        // inside process() for this very connection. The next turn of the event loop is outside it.
        context.runOnContext(v -> {
            c.busy = false;
            if (c.closed) {
                return;
            }
            process(c);
            wire.flush(clockMs.getAsLong());
            if (!c.closed && !c.busy) {
                c.socket.resume();
            }
        });
    }

    /** The HMAC key {@code keyId} names if its signature in {@link #signature} of {@code canonical} holds. */
    private ApiKey.Hmac verifiedKey(String keyId, String canonical) {
        if (!(keys.find(keyId) instanceof ApiKey.Hmac key)) {
            return null;
        }
        byte[] expected = SessionSigning.sign(key.secret(), canonical);
        return MessageDigest.isEqual(expected, signature) ? key : null;
    }

    private ProtocolCode keyRefusal(String keyId, ApiKey.Hmac verified, long timestampNs) {
        ApiKey key = keys.find(keyId);
        if (key == null) {
            return ProtocolCode.UNKNOWN_KEY;
        }
        if (!(key instanceof ApiKey.Hmac)) {
            return ProtocolCode.KEY_NOT_HMAC;
        }
        if (verified == null) {
            return ProtocolCode.BAD_SIGNATURE;
        }
        long skewMs = Math.abs(clockMs.getAsLong() - Long.divideUnsigned(timestampNs, NS_PER_MS));
        return timestampNs < 0 || skewMs > config.timestampWindowMs() ? ProtocolCode.TIMESTAMP_OUT_OF_WINDOW : null;
    }

    private void armCancelOnDisconnect(BinarySession session) {
        if (session.codTimer >= 0) {
            vertx.cancelTimer(session.codTimer);
        }
        session.codTimer = vertx.setTimer(Math.max(1, session.codGraceMs), t -> {
            session.codTimer = -1;
            if (session.connection != null || session.liveOrders.isEmpty()) {
                return;
            }
            codCancels.increment();
            long account = session.account.accountId;
            session.liveOrders.forEach(orderId -> engine.proxy().submit(new Command.CancelOrder(account, orderId, null)));
        });
    }

    private void onRetransmitRequest(Connection c) {
        BinarySession session = c.session;
        long uuid = retransmitRequest.uuid();
        long from = retransmitRequest.fromSeqNo();
        long count = retransmitRequest.count();
        long next = session.nextSeqNo();
        ProtocolCode refusal = null;
        if (uuid != session.uuid) {
            refusal = ProtocolCode.UNKNOWN_UUID;
        } else if (session.retransmitting) {
            refusal = ProtocolCode.RETRANSMIT_BUSY;
        } else if (count == 0 || from < 1 || from >= next || count > next - from) {
            refusal = ProtocolCode.RETRANSMIT_OUT_OF_RANGE;
        } else if (count > config.retransmitMax()) {
            refusal = ProtocolCode.RETRANSMIT_TOO_LARGE;
        }
        if (refusal != null) {
            wire.retransmitReject(c, uuid, from, count, refusal.code(), refusal == ProtocolCode.RETRANSMIT_TOO_LARGE
                ? "count must be at most " + config.retransmitMax() : refusal.text());
            return;
        }
        long first = session.baseReportNo + from;
        AccountState account = session.account;
        if (account.recentReport(first) != null) {
            wire.retransmission(c, uuid, from, count);
            for (long n = 0; n < count; n++) {
                wire.executionReport(c, from + n, true, account.recentReport(first + n));
            }
            return;
        }
        // Older than what is held in memory: from history, once it has everything numbered so far.
        session.retransmitting = true;
        Promise<List<NumberedReport>> answer = Promise.promise();
        long timer = vertx.setTimer(RETRANSMIT_TIMEOUT_MS, t -> answer.tryFail("history did not answer in time"));
        history.caughtUp(processedSequence)
            .compose(v -> historyStore.reports(account.accountId, first, (int) count))
            .onComplete(answer::tryComplete, answer::tryFail);
        answer.future().onComplete(ar -> {
            assert onContext() : "retransmission completed off the gateway's context";
            vertx.cancelTimer(timer);
            session.retransmitting = false;
            if (session.connection != c || c.closed) {
                return;
            }
            if (ar.succeeded() && contiguous(ar.result(), first, count)) {
                wire.retransmission(c, uuid, from, count);
                for (NumberedReport r : ar.result()) {
                    wire.executionReport(c, r.reportNo() - session.baseReportNo, true, r.report());
                }
            } else {
                wire.retransmitReject(c, uuid, from, count, ProtocolCode.RETRANSMIT_UNAVAILABLE.code(),
                    ProtocolCode.RETRANSMIT_UNAVAILABLE.text());
            }
            flushDirty();
        });
    }

    private static boolean contiguous(List<NumberedReport> reports, long first, long count) {
        if (reports.size() != count) {
            return false;
        }
        for (int i = 0; i < reports.size(); i++) {
            if (reports.get(i).reportNo() != first + i) {
                return false;
            }
        }
        return true;
    }

    private void businessReject(Connection c, int templateId, String clOrdId, long requestId, long orderId, int code,
                                String reason) {
        wire.businessReject(c, templateId, clOrdId, requestId, orderId, code, reason);
    }
}
