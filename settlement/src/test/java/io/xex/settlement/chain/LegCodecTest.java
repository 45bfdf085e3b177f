package io.xex.settlement.chain;

import io.xex.settlement.chain.LegCodec.Leg;
import io.xex.settlement.chain.LegCodec.Withdrawal;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LegCodecTest {
    private static Leg leg(long account, int asset, long amount) {
        return new Leg(account, asset, BigInteger.valueOf(amount));
    }

    @Test
    void legsArePackedBigEndianInAssetThenAccountOrder() {
        byte[] encoded = LegCodec.encodeLegs(List.of(leg(2, 1, -5), leg(0x01020304L, 0, 7), leg(1, 1, 5)));
        assertEquals("0x" + "0000" + "01020304" + "000000000000000000000007"
                + "0001" + "00000001" + "000000000000000000000005"
                + "0001" + "00000002" + "fffffffffffffffffffffffb",
            Numeric.toHexString(encoded));
        assertEquals(List.of(leg(0x01020304L, 0, 7), leg(1, 1, 5), leg(2, 1, -5)), LegCodec.decodeLegs(encoded));
    }

    @Test
    void amountsUseTheWholeInt96() {
        List<Leg> legs = List.of(new Leg(1, 7, LegCodec.MAX_LEG_AMOUNT), new Leg(2, 7, LegCodec.MIN_LEG_AMOUNT));
        byte[] encoded = LegCodec.encodeLegs(legs);
        assertEquals("7fffffffffffffffffffffff", Numeric.toHexStringNoPrefix(encoded).substring(12, 36));
        assertEquals("800000000000000000000000", Numeric.toHexStringNoPrefix(encoded).substring(48, 72));
        assertEquals(legs, LegCodec.decodeLegs(encoded));
        assertThrows(IllegalArgumentException.class, () -> new Leg(1, 7, LegCodec.MAX_LEG_AMOUNT.add(BigInteger.ONE)));
        assertThrows(IllegalArgumentException.class, () -> new Leg(1, 7, LegCodec.MIN_LEG_AMOUNT.subtract(BigInteger.ONE)));
    }

    @Test
    void idsMustFitTheirFields() {
        assertThrows(IllegalArgumentException.class, () -> leg(LegCodec.MAX_ACCOUNT_ID + 1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> leg(-1, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> leg(1, LegCodec.MAX_ASSET_ID + 1, 1));
        assertEquals(LegCodec.MAX_ACCOUNT_ID, LegCodec.decodeLegs(LegCodec.encodeLegs(List.of(
            leg(LegCodec.MAX_ACCOUNT_ID, LegCodec.MAX_ASSET_ID, 0)))).getFirst().accountId());
    }

    @Test
    void twoLegsOfOneAccountAndAssetAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LegCodec.encodeLegs(List.of(leg(3, 1, 5), leg(3, 1, -5))));
    }

    @Test
    void withdrawalsKeepTheirOrderAndUseTheWholeUint96() {
        List<Withdrawal> withdrawals = List.of(new Withdrawal(9, 1, LegCodec.MAX_WITHDRAWAL_AMOUNT),
            new Withdrawal(2, 0, BigInteger.TEN));
        byte[] encoded = LegCodec.encodeWithdrawals(withdrawals);
        assertEquals("0x" + "0001" + "00000009" + "ffffffffffffffffffffffff" + "0000" + "00000002" + "00000000000000000000000a",
            Numeric.toHexString(encoded));
        assertEquals(withdrawals, LegCodec.decodeWithdrawals(encoded));
        assertThrows(IllegalArgumentException.class, () -> new Withdrawal(1, 1, BigInteger.ZERO));
        assertThrows(IllegalArgumentException.class, () -> new Withdrawal(1, 1, LegCodec.MAX_WITHDRAWAL_AMOUNT.add(BigInteger.ONE)));
    }

    @Test
    void partialRecordsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> LegCodec.decodeLegs(new byte[17]));
    }

    @Test
    void hashIsKeccak256() {
        assertArrayEquals(Numeric.hexStringToByteArray("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"),
            LegCodec.hash(new byte[0]));
    }
}
