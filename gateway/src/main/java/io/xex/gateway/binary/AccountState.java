package io.xex.gateway.binary;

import io.xex.runtime.history.ExecKind;
import io.xex.runtime.history.ExecutionReport;

import org.agrona.collections.LongHashSet;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the binary gateway knows of one account: how many execution reports it has had (numbered as history
 * numbers them), the newest of them while it has sessions, the client order ids of its recent orders and
 * of its new orders in flight, and its live quote orders. Confined to the gateway's context.
 */
final class AccountState {
    final long accountId;
    final List<BinarySession> sessions = new ArrayList<>(2);
    /** Client order ids of NewOrders submitted and not yet answered by the runtime. */
    final Set<String> inFlight = new HashSet<>();
    /** Live quote orders by their reserved client order id. */
    final Map<String, Long> liveQuotes = new HashMap<>();
    /** Whether the client order ids of its new orders are remembered: from its first session's Negotiate on. */
    boolean tracksOrders;
    /**
     * After a restart, the orders that were live when the gateway started, while the account has a
     * cancel-on-disconnect session that has not come back: cancelled if none does within its grace window.
     */
    final LongHashSet ordersAtRestart = new LongHashSet();
    private final LinkedHashMap<String, Long> recentOrders;
    private long reportCount;
    private ExecutionReport[] recentReports;

    AccountState(long accountId, long reportCount, int dedupOrders) {
        this.accountId = accountId;
        this.reportCount = reportCount;
        this.recentOrders = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
                return size() > dedupOrders;
            }
        };
    }

    /** The number of the account's newest report, 0 before its first. */
    long reportCount() {
        return reportCount;
    }

    /** Numbers the account's next report and returns its number. */
    long add(ExecutionReport report) {
        long number = ++reportCount;
        if (recentReports != null) {
            recentReports[(int) (number % recentReports.length)] = report;
        }
        String clientOrderId = report.clientOrderId();
        if (clientOrderId != null) {
            if (report.kind() == ExecKind.NEW && tracksOrders) {
                // Only for accounts with a session: others would hold thousands of ids for nothing (a first session
                // seeds them from history).
                rememberOrder(clientOrderId, report.orderId());
            }
            if (clientOrderId.startsWith(Quotes.PREFIX)) {
                if (report.kind() == ExecKind.NEW) {
                    liveQuotes.put(clientOrderId, report.orderId());
                } else if (ended(report)) {
                    liveQuotes.remove(clientOrderId, report.orderId());
                }
            }
        }
        return number;
    }

    /** Whether the order the report is about is no longer live after it. */
    static boolean ended(ExecutionReport report) {
        return switch (report.kind()) {
            case CANCELLED, EXPIRED -> true;
            case TRADE, AMENDED -> report.remaining() == 0;
            case NEW, REJECTED -> false;
        };
    }

    void rememberOrder(String clientOrderId, long orderId) {
        recentOrders.put(clientOrderId, orderId);
    }

    /** The order a recent client order id named, or {@code null}. */
    Long recentOrder(String clientOrderId) {
        return recentOrders.get(clientOrderId);
    }

    /** Starts keeping the newest {@code capacity} reports (from the next one on). */
    void keepRecentReports(int capacity) {
        if (recentReports == null && capacity > 0) {
            recentReports = new ExecutionReport[capacity];
        }
    }

    /** Report number {@code number} if it is still held in memory, else {@code null}. */
    ExecutionReport recentReport(long number) {
        if (recentReports == null || number > reportCount || number <= reportCount - recentReports.length
            || number < 1) {
            return null;
        }
        return recentReports[(int) (number % recentReports.length)];
    }
}
