package io.xex.settlement.chain;

import org.web3j.crypto.Hash;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * The packed calldata of one {@code SettlementVault.settle} batch: legs and withdrawals as 18-byte big-endian
 * records back to back.
 * <pre>
 * leg        : uint16 assetId | uint32 accountId | int96 amount   (two's complement; + credits, - debits)
 * withdrawal : uint16 assetId | uint32 accountId | uint96 amount  (greater than zero)
 * </pre>
 * The vault wants the legs in strictly increasing order of (assetId, accountId), which {@link #encodeLegs} makes,
 * refusing two legs of the same account and asset. Amounts are in the vault's units of the asset (token base units,
 * or shares for an xStock registered as SHARES). Stateless; any thread.
 */
public final class LegCodec {
    public static final int LEG_BYTES = 18;
    public static final int WITHDRAWAL_BYTES = 18;
    public static final long MAX_ACCOUNT_ID = 0xFFFF_FFFFL;
    public static final int MAX_ASSET_ID = 0xFFFF;
    /** A leg's amount is an int96: from {@code -2^95} to {@code 2^95 - 1}. */
    public static final BigInteger MAX_LEG_AMOUNT = BigInteger.ONE.shiftLeft(95).subtract(BigInteger.ONE);
    public static final BigInteger MIN_LEG_AMOUNT = BigInteger.ONE.shiftLeft(95).negate();
    /** A withdrawal's amount is a uint96. */
    public static final BigInteger MAX_WITHDRAWAL_AMOUNT = BigInteger.ONE.shiftLeft(96).subtract(BigInteger.ONE);

    private static final int AMOUNT_BYTES = 12;
    private static final Comparator<Leg> CANONICAL = Comparator.comparingInt(Leg::assetId).thenComparingLong(Leg::accountId);

    private LegCodec() {
    }

    /** One account's net movement in one asset within a batch: positive credits, negative debits. */
    public record Leg(long accountId, int assetId, BigInteger amount) {
        public Leg {
            checkIds(accountId, assetId);
            Objects.requireNonNull(amount, "amount");
            if (amount.compareTo(MIN_LEG_AMOUNT) < 0 || amount.compareTo(MAX_LEG_AMOUNT) > 0) {
                throw new IllegalArgumentException("leg amount " + amount + " is outside int96");
            }
        }
    }

    /** An amount paid from an account's settled balance to its whitelisted address. */
    public record Withdrawal(long accountId, int assetId, BigInteger amount) {
        public Withdrawal {
            checkIds(accountId, assetId);
            Objects.requireNonNull(amount, "amount");
            if (amount.signum() <= 0 || amount.compareTo(MAX_WITHDRAWAL_AMOUNT) > 0) {
                throw new IllegalArgumentException("withdrawal amount " + amount + " is not in 1..2^96-1");
            }
        }
    }

    /** The legs in the vault's order; fails on two legs of the same account and asset. */
    public static byte[] encodeLegs(Collection<Leg> legs) {
        List<Leg> sorted = new ArrayList<>(legs);
        sorted.sort(CANONICAL);
        byte[] out = new byte[sorted.size() * LEG_BYTES];
        for (int i = 0; i < sorted.size(); i++) {
            Leg leg = sorted.get(i);
            if (i > 0 && CANONICAL.compare(sorted.get(i - 1), leg) == 0) {
                throw new IllegalArgumentException("two legs of account " + leg.accountId() + " in asset " + leg.assetId());
            }
            put(out, i * LEG_BYTES, leg.assetId(), leg.accountId(), leg.amount());
        }
        return out;
    }

    /** The withdrawals in the order given (the vault pays them in that order). */
    public static byte[] encodeWithdrawals(List<Withdrawal> withdrawals) {
        byte[] out = new byte[withdrawals.size() * WITHDRAWAL_BYTES];
        for (int i = 0; i < withdrawals.size(); i++) {
            Withdrawal w = withdrawals.get(i);
            put(out, i * WITHDRAWAL_BYTES, w.assetId(), w.accountId(), w.amount());
        }
        return out;
    }

    public static List<Leg> decodeLegs(byte[] legs) {
        checkLength(legs, LEG_BYTES);
        List<Leg> out = new ArrayList<>(legs.length / LEG_BYTES);
        for (int at = 0; at < legs.length; at += LEG_BYTES) {
            out.add(new Leg(accountId(legs, at), assetId(legs, at), amount(legs, at, true)));
        }
        return out;
    }

    public static List<Withdrawal> decodeWithdrawals(byte[] withdrawals) {
        checkLength(withdrawals, WITHDRAWAL_BYTES);
        List<Withdrawal> out = new ArrayList<>(withdrawals.length / WITHDRAWAL_BYTES);
        for (int at = 0; at < withdrawals.length; at += WITHDRAWAL_BYTES) {
            out.add(new Withdrawal(accountId(withdrawals, at), assetId(withdrawals, at), amount(withdrawals, at, false)));
        }
        return out;
    }

    /** keccak256 of encoded legs or withdrawals: what {@code BatchSettled} commits to. */
    public static byte[] hash(byte[] encoded) {
        return Hash.sha3(encoded);
    }

    private static void checkIds(long accountId, int assetId) {
        if (accountId < 0 || accountId > MAX_ACCOUNT_ID) {
            throw new IllegalArgumentException("account id " + accountId + " does not fit a uint32");
        }
        if (assetId < 0 || assetId > MAX_ASSET_ID) {
            throw new IllegalArgumentException("asset id " + assetId + " does not fit a uint16");
        }
    }

    private static void checkLength(byte[] encoded, int recordBytes) {
        if (encoded.length % recordBytes != 0) {
            throw new IllegalArgumentException(encoded.length + " bytes is not a whole number of " + recordBytes + "-byte records");
        }
    }

    private static void put(byte[] out, int at, int assetId, long accountId, BigInteger amount) {
        out[at] = (byte) (assetId >>> 8);
        out[at + 1] = (byte) assetId;
        out[at + 2] = (byte) (accountId >>> 24);
        out[at + 3] = (byte) (accountId >>> 16);
        out[at + 4] = (byte) (accountId >>> 8);
        out[at + 5] = (byte) accountId;
        // Minimal two's complement with a sign bit: 13 bytes for a uint96 above 2^95, whose first is a zero.
        byte[] bytes = amount.toByteArray();
        byte fill = (byte) (amount.signum() < 0 ? 0xFF : 0);
        int shift = bytes.length - AMOUNT_BYTES;
        for (int i = 0; i < AMOUNT_BYTES; i++) {
            int from = i + shift;
            out[at + 6 + i] = from < 0 ? fill : bytes[from];
        }
    }

    private static int assetId(byte[] in, int at) {
        return (in[at] & 0xFF) << 8 | in[at + 1] & 0xFF;
    }

    private static long accountId(byte[] in, int at) {
        return (in[at + 2] & 0xFFL) << 24 | (in[at + 3] & 0xFFL) << 16 | (in[at + 4] & 0xFFL) << 8 | in[at + 5] & 0xFFL;
    }

    private static BigInteger amount(byte[] in, int at, boolean signed) {
        byte[] bytes = new byte[AMOUNT_BYTES];
        System.arraycopy(in, at + 6, bytes, 0, AMOUNT_BYTES);
        return signed ? new BigInteger(bytes) : new BigInteger(1, bytes);
    }
}
