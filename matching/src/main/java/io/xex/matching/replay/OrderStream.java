package io.xex.matching.replay;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * An order stream in the bench format (shared/bench/README.md §1), parsed into primitive arrays so that
 * a measured pass touches no parser and allocates nothing.
 *
 * <p>Immutable after {@link #read(Path)}; safe to share between threads.
 */
public final class OrderStream {
    public static final String HEADER = "seq,op,order_id,account,symbol,side,tif,price,qty";

    public static final byte OP_NEW = 0;
    public static final byte OP_CANCEL = 1;
    public static final byte OP_REDUCE = 2;

    public static final byte SIDE_BUY = 0;
    public static final byte SIDE_SELL = 1;

    public static final byte TIF_GTC = 0;
    public static final byte TIF_IOC = 1;

    private final int size;
    private final byte[] op;
    private final long[] orderId;
    private final int[] account;
    private final int[] symbol;
    private final byte[] side;
    private final byte[] tif;
    private final long[] price;
    private final long[] quantity;
    private final List<String> symbols;
    private final int maxAccount;

    private OrderStream(int size, byte[] op, long[] orderId, int[] account, int[] symbol, byte[] side,
                        byte[] tif, long[] price, long[] quantity, List<String> symbols, int maxAccount) {
        this.size = size;
        this.op = op;
        this.orderId = orderId;
        this.account = account;
        this.symbol = symbol;
        this.side = side;
        this.tif = tif;
        this.price = price;
        this.quantity = quantity;
        this.symbols = List.copyOf(symbols);
        this.maxAccount = maxAccount;
    }

    /** Reads a stream file; a name ending in {@code .gz} is decompressed. */
    public static OrderStream read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file);
             InputStream in = file.getFileName().toString().endsWith(".gz")
                 ? new GZIPInputStream(raw, 1 << 16) : raw) {
            return read(in, file.toString());
        }
    }

    /** Reads a stream from {@code in}; {@code name} only labels error messages. */
    public static OrderStream read(InputStream in, String name) throws IOException {
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII), 1 << 16);
        String header = reader.readLine();
        if (!HEADER.equals(header)) {
            throw new IOException(name + ": line 1: expected header '" + HEADER + "'");
        }
        int capacity = 1 << 16;
        byte[] op = new byte[capacity];
        long[] orderId = new long[capacity];
        int[] account = new int[capacity];
        int[] symbol = new int[capacity];
        byte[] side = new byte[capacity];
        byte[] tif = new byte[capacity];
        long[] price = new long[capacity];
        long[] quantity = new long[capacity];
        List<String> symbols = new ArrayList<>();
        int maxAccount = 0;
        int n = 0;
        String line;
        while ((line = reader.readLine()) != null) {
            int lineNumber = n + 2;
            String[] f = line.split(",", -1);
            if (f.length != 9) {
                throw new IOException(name + ": line " + lineNumber + ": expected 9 fields, got " + f.length);
            }
            if (n == capacity) {
                capacity *= 2;
                op = Arrays.copyOf(op, capacity);
                orderId = Arrays.copyOf(orderId, capacity);
                account = Arrays.copyOf(account, capacity);
                symbol = Arrays.copyOf(symbol, capacity);
                side = Arrays.copyOf(side, capacity);
                tif = Arrays.copyOf(tif, capacity);
                price = Arrays.copyOf(price, capacity);
                quantity = Arrays.copyOf(quantity, capacity);
            }
            try {
                if (Long.parseLong(f[0]) != n + 1) {
                    throw new IOException(name + ": line " + lineNumber + ": seq " + f[0] + " out of order");
                }
                orderId[n] = Long.parseLong(f[2]);
                account[n] = Integer.parseInt(f[3]);
                maxAccount = Math.max(maxAccount, account[n]);
                int s = symbols.indexOf(f[4]);
                if (s < 0) {
                    s = symbols.size();
                    symbols.add(f[4]);
                }
                symbol[n] = s;
                switch (f[1]) {
                    case "NEW" -> {
                        op[n] = OP_NEW;
                        side[n] = switch (f[5]) {
                            case "BUY" -> SIDE_BUY;
                            case "SELL" -> SIDE_SELL;
                            default -> throw new IOException(name + ": line " + lineNumber + ": bad side " + f[5]);
                        };
                        tif[n] = switch (f[6]) {
                            case "GTC" -> TIF_GTC;
                            case "IOC" -> TIF_IOC;
                            default -> throw new IOException(name + ": line " + lineNumber + ": bad tif " + f[6]);
                        };
                        price[n] = Long.parseLong(f[7]);
                        quantity[n] = Long.parseLong(f[8]);
                    }
                    case "CANCEL" -> op[n] = OP_CANCEL;
                    case "REDUCE" -> {
                        op[n] = OP_REDUCE;
                        quantity[n] = Long.parseLong(f[8]);
                    }
                    default -> throw new IOException(name + ": line " + lineNumber + ": bad op " + f[1]);
                }
            } catch (NumberFormatException e) {
                throw new IOException(name + ": line " + lineNumber + ": bad number: " + e.getMessage(), e);
            }
            n++;
        }
        return new OrderStream(n, op, orderId, account, symbol, side, tif, price, quantity, symbols, maxAccount);
    }

    /** Number of commands. */
    public int size() {
        return size;
    }

    /** {@link #OP_NEW}, {@link #OP_CANCEL} or {@link #OP_REDUCE} of command {@code i} (0-based). */
    public byte op(int i) {
        return op[i];
    }

    public long orderId(int i) {
        return orderId[i];
    }

    public int account(int i) {
        return account[i];
    }

    /** Index into {@link #symbols()} of command {@code i}. */
    public int symbol(int i) {
        return symbol[i];
    }

    /** {@link #SIDE_BUY} or {@link #SIDE_SELL}; meaningful for NEW only. */
    public byte side(int i) {
        return side[i];
    }

    /** {@link #TIF_GTC} or {@link #TIF_IOC}; meaningful for NEW only. */
    public byte timeInForce(int i) {
        return tif[i];
    }

    /** Limit price in ticks; meaningful for NEW only. */
    public long price(int i) {
        return price[i];
    }

    /** Lots to buy or sell for NEW; lots to remove for REDUCE. */
    public long quantity(int i) {
        return quantity[i];
    }

    /** Symbols in order of first appearance. */
    public List<String> symbols() {
        return symbols;
    }

    /** Highest account number in the stream. */
    public int maxAccount() {
        return maxAccount;
    }
}
