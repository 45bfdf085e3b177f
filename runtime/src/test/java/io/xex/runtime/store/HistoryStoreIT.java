package io.xex.runtime.store;

import io.vertx.sqlclient.Row;
import io.xex.runtime.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.xex.runtime.db.TestDatabase.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HistoryStoreIT {
    private static final int TSLA = 1;

    @TempDir
    static Path folder;
    private static TestDatabase database;
    private static HistoryStore history;

    @BeforeAll
    static void start() {
        database = TestDatabase.start(folder.resolve("pg"));
        history = new HistoryStore(database.pool());
    }

    @AfterAll
    static void stop() {
        database.close();
    }

    @BeforeEach
    void noHistory() {
        database.query("TRUNCATE orders, trades, balance_movements, execution_reports, history_cursor");
    }

    @Test
    void aBatchIsWrittenWithItsCursor() {
        assertEquals(0L, await(history.cursor()));

        await(history.write(List.of(order(1, 7, 0, "NEW", 5), order(2, 8, 3, "PARTIALLY_FILLED", 6)),
            List.of(trade(100, 6, 2, 1)), List.of(balance(6, 0, 7, 1_000, 0), balance(6, 1, 8, 2_000, 30)), List.of(),
            6));

        assertEquals(6L, await(history.cursor()));
        Row first = database.query("SELECT * FROM orders WHERE order_id = 1").getFirst();
        assertEquals(7L, first.getLong("account_id"));
        assertEquals("c-1", first.getString("client_order_id"));
        assertEquals(TSLA, first.getInteger("instrument_id"));
        assertEquals("BUY", first.getString("side"));
        assertEquals("LIMIT", first.getString("type"));
        assertEquals("GTC", first.getString("time_in_force"));
        assertEquals(25_000L, first.getLong("price"));
        assertEquals(10L, first.getLong("quantity"));
        assertEquals("NEW", first.getString("status"));
        assertEquals(1L, first.getLong("created_seq"));
        assertEquals(5L, first.getLong("updated_seq"));
        assertEquals(5_000L, first.getLong("updated_ns"));
        Row trade = database.query("SELECT * FROM trades").getFirst();
        assertEquals(List.of(100L, 6L, 6_000L, 2L, 8L, 1L, 7L, 25_000L, 3L, 5L, 2L),
            List.of(trade.getLong("trade_id"), trade.getLong("seq"), trade.getLong("ts_ns"), trade.getLong("taker_order_id"),
                trade.getLong("taker_account_id"), trade.getLong("maker_order_id"), trade.getLong("maker_account_id"),
                trade.getLong("price"), trade.getLong("quantity"), trade.getLong("taker_fee"), trade.getLong("maker_fee")));
        assertEquals("SELL", trade.getString("taker_side"));
        assertEquals(List.of("6/0/7/1/1000/0/6000", "6/1/8/1/2000/30/6000"), balances());
    }

    @Test
    void writingTheSameBatchAgainChangesNothing() {
        List<OrderRow> orders = List.of(order(1, 7, 0, "NEW", 5));
        List<TradeRow> trades = List.of(trade(100, 6, 2, 1));
        List<BalanceRow> balances = List.of(balance(6, 0, 7, 1_000, 0));
        await(history.write(orders, trades, balances, List.of(), 6));
        List<String> before = snapshotOfTables();

        await(history.write(orders, trades, balances, List.of(), 6));
        await(history.write(orders, List.of(new TradeRow(100, 6, 6_000, TSLA, 2, 8, 1, 7, "SELL", 1, 1, 0, 0)),
            List.of(balance(6, 0, 7, 999_999, 1)), List.of(), 6));

        assertEquals(before, snapshotOfTables());
        assertEquals(6L, await(history.cursor()));
    }

    @Test
    void anOrderNeverMovesBackwards() {
        await(history.write(List.of(order(1, 7, 4, "PARTIALLY_FILLED", 5)), List.of(), List.of(), List.of(), 5));

        await(history.write(List.of(order(1, 7, 0, "NEW", 3)), List.of(), List.of(), List.of(), 5));
        assertEquals("PARTIALLY_FILLED/4/5", orderState(1));
        await(history.write(List.of(order(1, 7, 4, "CANCELED", 5)), List.of(), List.of(), List.of(), 5));
        assertEquals("PARTIALLY_FILLED/4/5", orderState(1), "the same sequence again is a replay, not news");

        await(history.write(List.of(order(1, 7, 10, "FILLED", 9)), List.of(), List.of(), List.of(), 9));
        assertEquals("FILLED/10/9", orderState(1));
    }

    @Test
    void anOrderSeveralTimesInOneBatchEndsAtItsNewestRow() {
        await(history.write(List.of(order(1, 7, 10, "FILLED", 4), order(2, 8, 0, "NEW", 2), order(1, 7, 0, "NEW", 3),
            order(2, 8, 5, "PARTIALLY_FILLED", 4), order(2, 8, 5, "CANCELED", 4)), List.of(), List.of(), List.of(), 4));

        assertEquals("FILLED/10/4", orderState(1));
        assertEquals("CANCELED/5/4", orderState(2), "among rows of the same sequence the last given wins");
    }

    @Test
    void theCursorOnlyGrows() {
        await(history.write(List.of(), List.of(), List.of(), List.of(), 10));
        await(history.write(List.of(), List.of(), List.of(), List.of(), 5));
        assertEquals(10L, await(history.cursor()));
        await(history.write(List.of(), List.of(), List.of(), List.of(), 11));
        assertEquals(11L, await(history.cursor()));
    }

    @Test
    void aClientOrderIdMayBeAbsent() {
        await(history.write(List.of(new OrderRow(3, 7, null, TSLA, "SELL", "MARKET", "IOC", 0, 1, 1, "FILLED", 2, 2, 2_000)),
            List.of(), List.of(), List.of(), 2));

        assertNull(database.query("SELECT client_order_id FROM orders WHERE order_id = 3").getFirst().getString(0));
    }

    private static OrderRow order(long orderId, long accountId, long filled, String status, long updatedSequence) {
        return new OrderRow(orderId, accountId, "c-" + orderId, TSLA, "BUY", "LIMIT", "GTC", 25_000, 10, filled, status,
            orderId, updatedSequence, updatedSequence * 1_000);
    }

    private static TradeRow trade(long tradeId, long sequence, long takerOrderId, long makerOrderId) {
        return new TradeRow(tradeId, sequence, sequence * 1_000, TSLA, takerOrderId, 8, makerOrderId, 7, "SELL", 25_000, 3,
            5, 2);
    }

    private static BalanceRow balance(long sequence, int index, long accountId, long available, long locked) {
        return new BalanceRow(sequence, index, accountId, TSLA, available, locked, sequence * 1_000);
    }

    private static String orderState(long orderId) {
        Row row = database.query("SELECT status, filled, updated_seq FROM orders WHERE order_id = " + orderId).getFirst();
        return row.getString(0) + "/" + row.getLong(1) + "/" + row.getLong(2);
    }

    private static List<String> balances() {
        return database.query("SELECT concat_ws('/', seq, idx, account_id, asset, available, locked, ts_ns)"
            + " FROM balance_movements ORDER BY seq, idx").stream().map(row -> row.getString(0)).toList();
    }

    private static List<String> snapshotOfTables() {
        return database.query("SELECT 'orders' || o::text FROM orders o UNION ALL SELECT 'trades' || t::text FROM trades t"
            + " UNION ALL SELECT 'balances' || b::text FROM balance_movements b ORDER BY 1").stream()
            .map(row -> row.getString(0)).toList();
    }
}
