package io.xex.gateway.binary;

import org.agrona.collections.LongHashSet;

/**
 * A negotiated session: it outlives connections. Its {@code n}-th sequenced message is its account's report
 * number {@code baseReportNo + n}. Confined to the gateway's context.
 */
final class BinarySession {
    final long uuid;
    final String keyId;
    final AccountState account;
    final boolean cancelOnDisconnect;
    final long codGraceMs;
    final long baseReportNo;
    /** Live orders this session entered, for cancel-on-disconnect. */
    final LongHashSet liveOrders = new LongHashSet();
    long lastRequestNs;
    /** The connection it is established on, or {@code null}. */
    Connection connection;
    long codTimer = -1;
    boolean retransmitting;
    long windowStartMs;
    int windowCount;

    BinarySession(long uuid, String keyId, AccountState account, boolean cancelOnDisconnect, long codGraceMs,
                  long baseReportNo, long lastRequestNs) {
        this.uuid = uuid;
        this.keyId = keyId;
        this.account = account;
        this.cancelOnDisconnect = cancelOnDisconnect;
        this.codGraceMs = codGraceMs;
        this.baseReportNo = baseReportNo;
        this.lastRequestNs = lastRequestNs;
    }

    /** The sequence number of the next live message. */
    long nextSeqNo() {
        return account.reportCount() - baseReportNo + 1;
    }
}
