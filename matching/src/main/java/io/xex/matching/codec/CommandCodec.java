package io.xex.matching.codec;

import io.xex.matching.Command;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.matching.TradingState;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The bytes of one {@link Command} in the durable command journal. The sequence number and timestamp are
 * not part of a command and are the journal's to store beside it.
 *
 * <p>An encoded command is a format version ({@value #VERSION}), a type tag, then the record's components
 * in declaration order, big-endian and fixed width: {@code long} 8 bytes, {@code int} 4, an enum 1 byte by
 * the codes below (never by ordinal, so reordering an enum cannot change what an old journal says), and a
 * string as an {@code int} count of UTF-8 bytes followed by them, -1 for {@code null}.
 *
 * <table>
 *   <caption>Type tags and fields</caption>
 *   <tr><th>tag</th><th>command</th><th>fields after the tag</th></tr>
 *   <tr><td>1</td><td>CreateAccount</td><td>accountId long, makerFeeBps int, takerFeeBps int, stpMode enum</td></tr>
 *   <tr><td>2</td><td>Deposit</td><td>accountId long, asset int, amount long</td></tr>
 *   <tr><td>3</td><td>Withdraw</td><td>accountId long, asset int, amount long</td></tr>
 *   <tr><td>4</td><td>PlaceOrder</td><td>accountId long, orderId long, clientOrderId string, instrumentId int,
 *       side enum, type enum, timeInForce enum, price long, quantity long, quoteBudget long</td></tr>
 *   <tr><td>5</td><td>CancelOrder</td><td>accountId long, orderId long, clientOrderId string</td></tr>
 *   <tr><td>6</td><td>AmendOrder</td><td>accountId long, orderId long, clientOrderId string, newPrice long,
 *       newQuantity long</td></tr>
 *   <tr><td>7</td><td>ReduceOrder</td><td>accountId long, orderId long, quantity long</td></tr>
 *   <tr><td>8</td><td>CancelAll</td><td>accountId long, instrumentId int</td></tr>
 *   <tr><td>9</td><td>SetTradingState</td><td>instrumentId int, state enum</td></tr>
 *   <tr><td>10</td><td>SetReferencePrice</td><td>instrumentId int, price long</td></tr>
 *   <tr><td>11</td><td>ApplyMultiplier</td><td>asset int, numerator long, denominator long</td></tr>
 *   <tr><td>12</td><td>Transfer</td><td>reference long, fromAccount long, toAccount long, asset int, amount long,
 *       counterAsset int, counterAmount long</td></tr>
 * </table>
 *
 * <table>
 *   <caption>Enum codes (0 is never used)</caption>
 *   <tr><th>enum</th><th>codes</th></tr>
 *   <tr><td>Side</td><td>1 BUY, 2 SELL</td></tr>
 *   <tr><td>OrderType</td><td>1 LIMIT, 2 MARKET</td></tr>
 *   <tr><td>TimeInForce</td><td>1 GTC, 2 IOC, 3 FOK, 4 POST_ONLY</td></tr>
 *   <tr><td>StpMode</td><td>1 EXPIRE_TAKER, 2 EXPIRE_MAKER, 3 EXPIRE_BOTH, 4 NONE</td></tr>
 *   <tr><td>TradingState</td><td>1 OPEN, 2 CLOSED_UNDERLYING, 3 HALTED, 4 CANCEL_ONLY</td></tr>
 * </table>
 *
 * <p>A string that is not valid UTF-16 (an unpaired surrogate) cannot be encoded, since it would not
 * read back the same. Bytes that are not exactly one encoded command (truncated, an unknown version, tag
 * or enum code, malformed UTF-8, values a command refuses, or bytes left over) are a corrupt journal:
 * {@link #decode} throws {@link IllegalArgumentException} saying where and what.
 *
 * <p>Stateless; safe on any thread.
 */
public final class CommandCodec {
    /** The format version every encoded command starts with. */
    public static final byte VERSION = 1;

    static final byte CREATE_ACCOUNT = 1;
    static final byte DEPOSIT = 2;
    static final byte WITHDRAW = 3;
    static final byte PLACE_ORDER = 4;
    static final byte CANCEL_ORDER = 5;
    static final byte AMEND_ORDER = 6;
    static final byte REDUCE_ORDER = 7;
    static final byte CANCEL_ALL = 8;
    static final byte SET_TRADING_STATE = 9;
    static final byte SET_REFERENCE_PRICE = 10;
    static final byte APPLY_MULTIPLIER = 11;
    static final byte TRANSFER = 12;

    private static final int HEADER_LENGTH = 2;
    private static final int NULL_LENGTH = -1;

    private CommandCodec() {
    }

    /** The bytes of one command. Throws {@link IllegalArgumentException} for a string with an unpaired surrogate. */
    public static byte[] encode(Command command) {
        Objects.requireNonNull(command, "command");
        ByteBuffer buffer;
        switch (command) {
            case Command.CreateAccount c -> {
                buffer = start(CREATE_ACCOUNT, 8 + 4 + 4 + 1);
                buffer.putLong(c.accountId()).putInt(c.makerFeeBps()).putInt(c.takerFeeBps()).put(c.stpMode().code());
            }
            case Command.Deposit c -> {
                buffer = start(DEPOSIT, 8 + 4 + 8);
                buffer.putLong(c.accountId()).putInt(c.asset()).putLong(c.amount());
            }
            case Command.Withdraw c -> {
                buffer = start(WITHDRAW, 8 + 4 + 8);
                buffer.putLong(c.accountId()).putInt(c.asset()).putLong(c.amount());
            }
            case Command.PlaceOrder c -> {
                byte[] clientOrderId = utf8(c.clientOrderId(), "PlaceOrder.clientOrderId");
                buffer = start(PLACE_ORDER, 8 + 8 + stringLength(clientOrderId) + 4 + 1 + 1 + 1 + 8 + 8 + 8);
                buffer.putLong(c.accountId()).putLong(c.orderId());
                putString(buffer, clientOrderId);
                buffer.putInt(c.instrumentId()).put(c.side().code()).put(c.type().code()).put(c.timeInForce().code())
                    .putLong(c.price()).putLong(c.quantity()).putLong(c.quoteBudget());
            }
            case Command.CancelOrder c -> {
                byte[] clientOrderId = utf8(c.clientOrderId(), "CancelOrder.clientOrderId");
                buffer = start(CANCEL_ORDER, 8 + 8 + stringLength(clientOrderId));
                buffer.putLong(c.accountId()).putLong(c.orderId());
                putString(buffer, clientOrderId);
            }
            case Command.AmendOrder c -> {
                byte[] clientOrderId = utf8(c.clientOrderId(), "AmendOrder.clientOrderId");
                buffer = start(AMEND_ORDER, 8 + 8 + stringLength(clientOrderId) + 8 + 8);
                buffer.putLong(c.accountId()).putLong(c.orderId());
                putString(buffer, clientOrderId);
                buffer.putLong(c.newPrice()).putLong(c.newQuantity());
            }
            case Command.ReduceOrder c -> {
                buffer = start(REDUCE_ORDER, 8 + 8 + 8);
                buffer.putLong(c.accountId()).putLong(c.orderId()).putLong(c.quantity());
            }
            case Command.CancelAll c -> {
                buffer = start(CANCEL_ALL, 8 + 4);
                buffer.putLong(c.accountId()).putInt(c.instrumentId());
            }
            case Command.SetTradingState c -> {
                buffer = start(SET_TRADING_STATE, 4 + 1);
                buffer.putInt(c.instrumentId()).put(c.state().code());
            }
            case Command.SetReferencePrice c -> {
                buffer = start(SET_REFERENCE_PRICE, 4 + 8);
                buffer.putInt(c.instrumentId()).putLong(c.price());
            }
            case Command.ApplyMultiplier c -> {
                buffer = start(APPLY_MULTIPLIER, 4 + 8 + 8);
                buffer.putInt(c.asset()).putLong(c.numerator()).putLong(c.denominator());
            }
            case Command.Transfer c -> {
                buffer = start(TRANSFER, 8 + 8 + 8 + 4 + 8 + 4 + 8);
                buffer.putLong(c.reference()).putLong(c.fromAccount()).putLong(c.toAccount()).putInt(c.asset())
                    .putLong(c.amount()).putInt(c.counterAsset()).putLong(c.counterAmount());
            }
        }
        if (buffer.hasRemaining()) {
            throw new IllegalStateException("encoded " + command + " in fewer bytes than sized");
        }
        return buffer.array();
    }

    /** The command that {@code bytes}, all of them, encode. */
    public static Command decode(byte[] bytes) {
        return decode(bytes, 0, bytes.length);
    }

    /** The command that {@code length} bytes of {@code bytes} from {@code offset}, all of them, encode. */
    public static Command decode(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        Reader in = new Reader(bytes, offset, length);
        byte version = in.readByte("the format version");
        if (version != VERSION) {
            throw in.badByte("unknown format version " + version + ", expected " + VERSION);
        }
        byte tag = in.readByte("the type tag");
        Command command = switch (tag) {
            case CREATE_ACCOUNT -> createAccount(in);
            case DEPOSIT -> new Command.Deposit(in.readLong("Deposit.accountId"), in.readInt("Deposit.asset"),
                in.readLong("Deposit.amount"));
            case WITHDRAW -> new Command.Withdraw(in.readLong("Withdraw.accountId"), in.readInt("Withdraw.asset"),
                in.readLong("Withdraw.amount"));
            case PLACE_ORDER -> placeOrder(in);
            case CANCEL_ORDER -> new Command.CancelOrder(in.readLong("CancelOrder.accountId"),
                in.readLong("CancelOrder.orderId"), in.readString("CancelOrder.clientOrderId"));
            case AMEND_ORDER -> new Command.AmendOrder(in.readLong("AmendOrder.accountId"),
                in.readLong("AmendOrder.orderId"), in.readString("AmendOrder.clientOrderId"),
                in.readLong("AmendOrder.newPrice"), in.readLong("AmendOrder.newQuantity"));
            case REDUCE_ORDER -> new Command.ReduceOrder(in.readLong("ReduceOrder.accountId"),
                in.readLong("ReduceOrder.orderId"), in.readLong("ReduceOrder.quantity"));
            case CANCEL_ALL -> new Command.CancelAll(in.readLong("CancelAll.accountId"),
                in.readInt("CancelAll.instrumentId"));
            case SET_TRADING_STATE -> new Command.SetTradingState(in.readInt("SetTradingState.instrumentId"),
                tradingState(in, "SetTradingState.state"));
            case SET_REFERENCE_PRICE -> new Command.SetReferencePrice(in.readInt("SetReferencePrice.instrumentId"),
                in.readLong("SetReferencePrice.price"));
            case APPLY_MULTIPLIER -> new Command.ApplyMultiplier(in.readInt("ApplyMultiplier.asset"),
                in.readLong("ApplyMultiplier.numerator"), in.readLong("ApplyMultiplier.denominator"));
            case TRANSFER -> new Command.Transfer(in.readLong("Transfer.reference"), in.readLong("Transfer.fromAccount"),
                in.readLong("Transfer.toAccount"), in.readInt("Transfer.asset"), in.readLong("Transfer.amount"),
                in.readInt("Transfer.counterAsset"), in.readLong("Transfer.counterAmount"));
            default -> throw in.badByte("unknown type tag " + tag);
        };
        if (in.remaining() != 0) {
            throw in.malformed(in.remaining() + " bytes left over after " + command);
        }
        return command;
    }

    private static Command createAccount(Reader in) {
        long accountId = in.readLong("CreateAccount.accountId");
        int makerFeeBps = in.readInt("CreateAccount.makerFeeBps");
        int takerFeeBps = in.readInt("CreateAccount.takerFeeBps");
        return new Command.CreateAccount(accountId, makerFeeBps, takerFeeBps, stpMode(in, "CreateAccount.stpMode"));
    }

    private static Command placeOrder(Reader in) {
        long accountId = in.readLong("PlaceOrder.accountId");
        long orderId = in.readLong("PlaceOrder.orderId");
        String clientOrderId = in.readString("PlaceOrder.clientOrderId");
        int instrumentId = in.readInt("PlaceOrder.instrumentId");
        Side side = side(in, "PlaceOrder.side");
        OrderType type = orderType(in, "PlaceOrder.type");
        TimeInForce timeInForce = timeInForce(in, "PlaceOrder.timeInForce");
        long price = in.readLong("PlaceOrder.price");
        long quantity = in.readLong("PlaceOrder.quantity");
        long quoteBudget = in.readLong("PlaceOrder.quoteBudget");
        if (orderId <= 0) {
            throw in.malformed("PlaceOrder.orderId " + orderId + " is not positive");
        }
        return new Command.PlaceOrder(accountId, orderId, clientOrderId, instrumentId, side, type, timeInForce, price,
            quantity, quoteBudget);
    }

    // ---------------------------------------------------------------------------------------------
    // Enum codes: each enum's own stable code (Side.code() ...), never its declaration order.

    private static Side side(Reader in, String field) {
        byte code = in.readByte(field);
        Side value = Side.ofCode(code);
        if (value == null) {
            throw in.badCode(field, code);
        }
        return value;
    }

    private static OrderType orderType(Reader in, String field) {
        byte code = in.readByte(field);
        OrderType value = OrderType.ofCode(code);
        if (value == null) {
            throw in.badCode(field, code);
        }
        return value;
    }

    private static TimeInForce timeInForce(Reader in, String field) {
        byte code = in.readByte(field);
        TimeInForce value = TimeInForce.ofCode(code);
        if (value == null) {
            throw in.badCode(field, code);
        }
        return value;
    }

    private static StpMode stpMode(Reader in, String field) {
        byte code = in.readByte(field);
        StpMode value = StpMode.ofCode(code);
        if (value == null) {
            throw in.badCode(field, code);
        }
        return value;
    }

    private static TradingState tradingState(Reader in, String field) {
        byte code = in.readByte(field);
        TradingState value = TradingState.ofCode(code);
        if (value == null) {
            throw in.badCode(field, code);
        }
        return value;
    }

    private static ByteBuffer start(byte tag, int bodyLength) {
        return ByteBuffer.allocate(HEADER_LENGTH + bodyLength).put(VERSION).put(tag);
    }

    /** The UTF-8 bytes of {@code text}, or {@code null}; refuses an unpaired surrogate, which UTF-8 cannot carry. */
    private static byte[] utf8(String text, String field) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException(field + " has an unpaired surrogate at index " + i
                    + " and cannot be encoded as UTF-8");
            }
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static int stringLength(byte[] utf8) {
        return 4 + (utf8 == null ? 0 : utf8.length);
    }

    private static void putString(ByteBuffer buffer, byte[] utf8) {
        if (utf8 == null) {
            buffer.putInt(NULL_LENGTH);
        } else {
            buffer.putInt(utf8.length).put(utf8);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Reading

    /** Reads big-endian fields from a slice of an array, naming what is wrong and where when it cannot. */
    private static final class Reader {
        private final byte[] bytes;
        private final int start;
        private final int end;
        private int position;

        Reader(byte[] bytes, int offset, int length) {
            this.bytes = bytes;
            this.start = offset;
            this.end = offset + length;
            this.position = offset;
        }

        int remaining() {
            return end - position;
        }

        byte readByte(String field) {
            need(1, field);
            return bytes[position++];
        }

        int readInt(String field) {
            need(4, field);
            int value = 0;
            for (int i = 0; i < 4; i++) {
                value = value << 8 | bytes[position++] & 0xFF;
            }
            return value;
        }

        long readLong(String field) {
            need(8, field);
            long value = 0;
            for (int i = 0; i < 8; i++) {
                value = value << 8 | bytes[position++] & 0xFF;
            }
            return value;
        }

        String readString(String field) {
            int at = position;
            int length = readInt(field + " length");
            if (length == NULL_LENGTH) {
                return null;
            }
            if (length < 0) {
                position = at;
                throw malformed(field + " has length " + length);
            }
            need(length, field);
            try {
                String text = StandardCharsets.UTF_8.newDecoder()
                    .decode(ByteBuffer.wrap(bytes, position, length))
                    .toString();
                position += length;
                return text;
            } catch (CharacterCodingException e) {
                throw malformed(field + " is not valid UTF-8 (" + e + ")");
            }
        }

        private void need(int length, String field) {
            if (remaining() < length) {
                throw malformed("truncated: " + field + " needs " + length + " bytes, " + remaining() + " left");
            }
        }

        IllegalArgumentException badCode(String field, byte code) {
            return badByte("unknown " + field + " code " + code);
        }

        /** The byte just read is wrong: reports it at its own position. */
        IllegalArgumentException badByte(String what) {
            position--;
            return malformed(what);
        }

        IllegalArgumentException malformed(String what) {
            return new IllegalArgumentException("malformed command (" + (end - start) + " bytes) at byte "
                + (position - start) + ": " + what);
        }
    }
}
