package io.xex.matching.codec;

import io.xex.matching.Command;
import io.xex.matching.OrderType;
import io.xex.matching.Side;
import io.xex.matching.StpMode;
import io.xex.matching.TimeInForce;
import io.xex.matching.TradingState;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class CommandCodecTest {
    private static final String LONGEST_ID = "0123456789abcdef0123456789abcdef-36c";
    private static final String NON_ASCII_ID = "ordre-é-注文-😀";

    /** Every command type, with the extremes each record allows, every enum value and every kind of client id. */
    static List<Command> samples() {
        List<Command> commands = new ArrayList<>();
        long[] longs = {Long.MIN_VALUE, -1, 0, 1, Long.MAX_VALUE};
        int[] ints = {Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE};
        String[] clientIds = {null, "", "a", LONGEST_ID, NON_ASCII_ID};
        for (StpMode stpMode : StpMode.values()) {
            commands.add(new Command.CreateAccount(Long.MAX_VALUE, 0, 1_000, stpMode));
        }
        for (int i = 0; i < longs.length; i++) {
            commands.add(new Command.CreateAccount(longs[i], ints[i], ints[ints.length - 1 - i], StpMode.DEFAULT));
            commands.add(new Command.Deposit(longs[i], ints[i], longs[longs.length - 1 - i]));
            commands.add(new Command.Withdraw(longs[longs.length - 1 - i], ints[i], longs[i]));
            commands.add(new Command.CancelOrder(longs[i], longs[longs.length - 1 - i], clientIds[i]));
            commands.add(new Command.AmendOrder(longs[i], longs[(i + 1) % longs.length], clientIds[i],
                longs[(i + 2) % longs.length], longs[(i + 3) % longs.length]));
            commands.add(new Command.ReduceOrder(longs[i], longs[(i + 1) % longs.length], longs[(i + 2) % longs.length]));
            commands.add(new Command.CancelAll(longs[i], ints[i]));
            commands.add(new Command.SetReferencePrice(ints[i], longs[i]));
            commands.add(new Command.ApplyMultiplier(ints[i], longs[i], longs[longs.length - 1 - i]));
            commands.add(new Command.Transfer(longs[i], longs[(i + 1) % longs.length], longs[(i + 2) % longs.length],
                ints[i], longs[(i + 3) % longs.length], ints[ints.length - 1 - i], longs[(i + 4) % longs.length]));
        }
        commands.add(new Command.CancelAll(7, Command.CancelAll.ALL_INSTRUMENTS));
        for (TradingState state : TradingState.values()) {
            commands.add(new Command.SetTradingState(Integer.MIN_VALUE, state));
            commands.add(new Command.SetTradingState(Integer.MAX_VALUE, state));
        }
        int n = 0;
        for (Side side : Side.values()) {
            for (OrderType type : OrderType.values()) {
                for (TimeInForce timeInForce : TimeInForce.values()) {
                    int i = n++ % longs.length;
                    commands.add(new Command.PlaceOrder(longs[i], i == 0 ? Long.MAX_VALUE : i, clientIds[i], ints[i],
                        side, type, timeInForce, longs[(i + 1) % longs.length], longs[(i + 2) % longs.length],
                        longs[(i + 3) % longs.length]));
                }
            }
        }
        commands.add(new Command.PlaceOrder(Long.MIN_VALUE, 1, NON_ASCII_ID, Integer.MIN_VALUE, Side.BUY,
            OrderType.MARKET, TimeInForce.IOC, Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE));
        commands.add(new Command.PlaceOrder(Long.MAX_VALUE, Long.MAX_VALUE, LONGEST_ID, Integer.MAX_VALUE, Side.SELL,
            OrderType.LIMIT, TimeInForce.POST_ONLY, Long.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE));
        return commands;
    }

    @Test
    void everyCommandRoundTrips() {
        Set<Class<?>> types = new HashSet<>();
        for (Command command : samples()) {
            byte[] bytes = CommandCodec.encode(command);
            assertEquals(CommandCodec.VERSION, bytes[0], "version byte of " + command);
            assertEquals(command, CommandCodec.decode(bytes), "round trip of " + command);
            types.add(command.getClass());
        }
        assertEquals(Set.of(Command.class.getPermittedSubclasses()), types, "every command type is sampled");
    }

    @Test
    void everyEnumValueIsSampled() {
        Set<Side> sides = EnumSet.noneOf(Side.class);
        Set<OrderType> types = EnumSet.noneOf(OrderType.class);
        Set<TimeInForce> timesInForce = EnumSet.noneOf(TimeInForce.class);
        Set<StpMode> stpModes = EnumSet.noneOf(StpMode.class);
        Set<TradingState> states = EnumSet.noneOf(TradingState.class);
        for (Command command : samples()) {
            switch (command) {
                case Command.PlaceOrder c -> {
                    sides.add(c.side());
                    types.add(c.type());
                    timesInForce.add(c.timeInForce());
                }
                case Command.CreateAccount c -> stpModes.add(c.stpMode());
                case Command.SetTradingState c -> states.add(c.state());
                default -> {
                }
            }
        }
        assertEquals(EnumSet.allOf(Side.class), sides);
        assertEquals(EnumSet.allOf(OrderType.class), types);
        assertEquals(EnumSet.allOf(TimeInForce.class), timesInForce);
        assertEquals(EnumSet.allOf(StpMode.class), stpModes);
        assertEquals(EnumSet.allOf(TradingState.class), states);
    }

    @Test
    void clientOrderIdsKeepNullEmptyLongAndNonAsciiApart() {
        for (String clientOrderId : Arrays.asList(null, "", LONGEST_ID, NON_ASCII_ID, "x".repeat(10_000))) {
            Command.CancelOrder command = new Command.CancelOrder(1, 0, clientOrderId);
            assertEquals(command, CommandCodec.decode(CommandCodec.encode(command)));
        }
        byte[] nonAscii = CommandCodec.encode(new Command.CancelOrder(1, 0, NON_ASCII_ID));
        int utf8Length = NON_ASCII_ID.getBytes(StandardCharsets.UTF_8).length;
        assertTrue(utf8Length > NON_ASCII_ID.length());
        assertEquals(2 + 8 + 8 + 4 + utf8Length, nonAscii.length, "the length prefix counts UTF-8 bytes");
    }

    /** The exact bytes of one order. If this fails, the journal format changed: bump the version and keep a reader for 1. */
    @Test
    void thePlaceOrderFormatIsPinned() {
        Command.PlaceOrder order = new Command.PlaceOrder(7, 42, "abc", 1, Side.SELL, OrderType.LIMIT,
            TimeInForce.POST_ONLY, 10_050, 3, 0);
        String expected = "01" + "04"          // version, tag
            + "0000000000000007"                // accountId
            + "000000000000002a"                // orderId
            + "00000003" + "616263"             // clientOrderId "abc"
            + "00000001"                        // instrumentId
            + "02" + "01" + "04"                // SELL, LIMIT, POST_ONLY
            + "0000000000002742"                // price 10,050
            + "0000000000000003"                // quantity
            + "0000000000000000";               // quoteBudget
        assertEquals(expected, HexFormat.of().formatHex(CommandCodec.encode(order)));
        assertEquals(order, CommandCodec.decode(HexFormat.of().parseHex(expected)));
    }

    @Test
    void theApplyMultiplierFormatIsPinned() {
        Command.ApplyMultiplier split = new Command.ApplyMultiplier(1, 10_123, 10_000);
        String expected = "01" + "0b"          // version, tag 11
            + "00000001"                        // asset
            + "000000000000278b"                // numerator 10,123
            + "0000000000002710";               // denominator 10,000
        assertEquals(expected, HexFormat.of().formatHex(CommandCodec.encode(split)));
        assertEquals(split, CommandCodec.decode(HexFormat.of().parseHex(expected)));
    }

    @Test
    void aNullClientOrderIdIsLengthMinusOne() {
        byte[] bytes = CommandCodec.encode(new Command.CancelOrder(1, 2, null));
        assertEquals("0105" + "0000000000000001" + "0000000000000002" + "ffffffff", HexFormat.of().formatHex(bytes));
    }

    @Test
    void decodesASliceOfALargerArray() {
        Command command = new Command.AmendOrder(3, 0, NON_ASCII_ID, 99, 5);
        byte[] bytes = CommandCodec.encode(command);
        byte[] framed = new byte[bytes.length + 7];
        Arrays.fill(framed, (byte) 0x5A);
        System.arraycopy(bytes, 0, framed, 3, bytes.length);
        assertEquals(command, CommandCodec.decode(framed, 3, bytes.length));
        assertThrows(IndexOutOfBoundsException.class, () -> CommandCodec.decode(framed, 3, framed.length));
    }

    @Test
    void everyTruncationIsRefused() {
        for (Command command : samples()) {
            byte[] bytes = CommandCodec.encode(command);
            for (int length = 0; length < bytes.length; length++) {
                IllegalArgumentException e = malformed(Arrays.copyOf(bytes, length));
                assertTrue(e.getMessage().contains("truncated"), length + " bytes of " + command + ": " + e.getMessage());
            }
        }
    }

    @Test
    void trailingBytesAreRefused() {
        for (Command command : samples()) {
            byte[] bytes = CommandCodec.encode(command);
            IllegalArgumentException e = malformed(Arrays.copyOf(bytes, bytes.length + 1));
            assertTrue(e.getMessage().contains("1 bytes left over"), e.getMessage());
        }
    }

    @Test
    void anUnknownVersionIsRefused() {
        byte[] bytes = CommandCodec.encode(new Command.CancelAll(1, 2));
        for (byte version : new byte[] {0, 2, -1}) {
            bytes[0] = version;
            assertTrue(malformed(bytes).getMessage().contains("unknown format version " + version));
        }
    }

    @Test
    void anUnknownTagIsRefused() {
        byte[] bytes = CommandCodec.encode(new Command.CancelAll(1, 2));
        for (byte tag : new byte[] {0, 13, -1, 127}) {
            bytes[1] = tag;
            assertTrue(malformed(bytes).getMessage().contains("unknown type tag " + tag));
        }
    }

    @Test
    void anUnknownEnumCodeIsRefused() {
        byte[] order = CommandCodec.encode(new Command.PlaceOrder(1, 2, null, 0, Side.BUY, OrderType.LIMIT,
            TimeInForce.GTC, 10, 1, 0));
        int sideAt = 2 + 8 + 8 + 4 + 4;
        assertBadCode(order, sideAt, new byte[] {0, 3, -1}, "PlaceOrder.side");
        assertBadCode(order, sideAt + 1, new byte[] {0, 3, -1}, "PlaceOrder.type");
        assertBadCode(order, sideAt + 2, new byte[] {0, 5, -1}, "PlaceOrder.timeInForce");
        byte[] account = CommandCodec.encode(new Command.CreateAccount(1, 0, 0, StpMode.NONE));
        assertBadCode(account, account.length - 1, new byte[] {0, 5, -1}, "CreateAccount.stpMode");
        byte[] state = CommandCodec.encode(new Command.SetTradingState(0, TradingState.HALTED));
        assertBadCode(state, state.length - 1, new byte[] {0, 5, -1}, "SetTradingState.state");
    }

    private static void assertBadCode(byte[] encoded, int at, byte[] codes, String field) {
        for (byte code : codes) {
            byte[] bytes = encoded.clone();
            bytes[at] = code;
            String message = malformed(bytes).getMessage();
            assertTrue(message.contains("unknown " + field + " code " + code) && message.contains("at byte " + at),
                message);
        }
    }

    @Test
    void aBadStringIsRefused() {
        byte[] bytes = CommandCodec.encode(new Command.CancelOrder(1, 2, "ab"));
        int lengthAt = 2 + 8 + 8;
        bytes[lengthAt + 3] = -2;
        bytes[lengthAt] = (byte) 0xFF;
        bytes[lengthAt + 1] = (byte) 0xFF;
        bytes[lengthAt + 2] = (byte) 0xFF;
        assertTrue(malformed(bytes).getMessage().contains("CancelOrder.clientOrderId has length -2"));

        bytes = CommandCodec.encode(new Command.CancelOrder(1, 2, "ab"));
        bytes[lengthAt + 3] = 100;
        assertTrue(malformed(bytes).getMessage().contains("truncated: CancelOrder.clientOrderId needs 100 bytes"));

        bytes = CommandCodec.encode(new Command.CancelOrder(1, 2, "ab"));
        bytes[lengthAt + 4] = (byte) 0xC3;
        bytes[lengthAt + 5] = (byte) 0x28;
        assertTrue(malformed(bytes).getMessage().contains("not valid UTF-8"));
    }

    @Test
    void anOrderIdThatNoOrderCanHaveIsRefused() {
        byte[] bytes = CommandCodec.encode(Command.PlaceOrder.limit(1, 1, 0, Side.BUY, TimeInForce.GTC, 10, 1));
        bytes[2 + 8 + 7] = 0;
        assertTrue(malformed(bytes).getMessage().contains("PlaceOrder.orderId 0 is not positive"));
    }

    @Test
    void anUnpairedSurrogateCannotBeEncoded() {
        for (String clientOrderId : List.of("a\uD800", "\uDC00b", "x\uD800y")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CommandCodec.encode(new Command.CancelOrder(1, 0, clientOrderId)));
            assertTrue(e.getMessage().contains("unpaired surrogate"), e.getMessage());
        }
    }

    @Test
    void withOrderIdCopiesEverythingElse() {
        Command.PlaceOrder order = new Command.PlaceOrder(7, 42, NON_ASCII_ID, 1, Side.BUY, OrderType.MARKET,
            TimeInForce.IOC, 0, 0, 5_000);
        Command.PlaceOrder renumbered = order.withOrderId(Long.MAX_VALUE);
        assertEquals(new Command.PlaceOrder(7, Long.MAX_VALUE, NON_ASCII_ID, 1, Side.BUY, OrderType.MARKET,
            TimeInForce.IOC, 0, 0, 5_000), renumbered);
        assertEquals(42, order.orderId(), "the original is unchanged");
        Command.PlaceOrder same = order.withOrderId(42);
        assertEquals(order, same);
        assertNotSame(order, same);
        assertThrows(IllegalArgumentException.class, () -> order.withOrderId(0));
        assertThrows(IllegalArgumentException.class, () -> order.withOrderId(-1));
    }

    @Test
    void encodingIsFreshEachTime() {
        Command command = new Command.Deposit(1, 0, 5);
        byte[] first = CommandCodec.encode(command);
        byte[] second = CommandCodec.encode(command);
        assertArrayEquals(first, second);
        assertNotSame(first, second);
    }

    private static IllegalArgumentException malformed(byte[] bytes) {
        try {
            Command command = CommandCodec.decode(bytes);
            fail("decoded " + HexFormat.of().formatHex(bytes) + " as " + command);
            return null;
        } catch (IllegalArgumentException e) {
            assertTrue(e.getMessage().startsWith("malformed command"), e.getMessage());
            return e;
        }
    }
}
