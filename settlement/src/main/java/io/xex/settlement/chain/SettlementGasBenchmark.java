package io.xex.settlement.chain;

import io.xex.settlement.chain.LegCodec.Leg;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Gas per leg of {@code SettlementVault.settle} for batches of several sizes, beside one plain ERC-20 transfer per
 * leg (each its own transaction) in the same run on the same chain. The legs are those of trades between accounts
 * that already hold both assets (USDT and one xStock), half of each batch's legs in each asset, with amounts of
 * realistic size and random sign; the transfers go from one holder to recipients that already hold the token, the
 * cheapest case of a transfer. Gas is the receipt's {@code gasUsed}: intrinsic gas and calldata included.
 * <p>
 * {@code main} starts its own anvil (run it in the settlement module's directory) and prints a table.
 * Single-threaded and blocking.
 */
public final class SettlementGasBenchmark {
    public static final List<Integer> DEFAULT_BATCH_LEGS = List.of(10, 100, 1_000);
    static final int USDT = 0;
    static final int XSTOCK = 1;
    private static final BigInteger TRANSFER_GAS_LIMIT = BigInteger.valueOf(100_000);
    /** 10^9 USDT and 10^6 xStock shares (10^24 base units) per account: far more than any batch moves. */
    private static final BigInteger USDT_SEED = BigInteger.TEN.pow(15);
    private static final BigInteger XSTOCK_SEED = BigInteger.TEN.pow(24);

    /**
     * One batch size's result.
     *
     * @param legs                 legs in the batch
     * @param settleGas            gasUsed of the settle transaction
     * @param calldataGas          of which the calldata's (4 per zero byte, 16 per other byte)
     * @param transferGasPerLeg    mean gasUsed of {@code legs} ERC-20 transfers, one transaction each
     */
    public record Row(int legs, long settleGas, long calldataGas, double transferGasPerLeg) {
        public double settleGasPerLeg() {
            return (double) settleGas / legs;
        }
    }

    /**
     * The whole measurement.
     *
     * @param rows           one per batch size
     * @param newBalanceGasPerLeg gas per leg of the batch that first credited every account (zero to non-zero slots)
     */
    public record Result(List<Row> rows, double newBalanceGasPerLeg) {
        public String table() {
            StringBuilder out = new StringBuilder();
            out.append(String.format(Locale.ROOT, "%6s  %12s  %9s  %17s  %22s  %7s%n", "legs", "settle gas", "gas/leg",
                "of it calldata/leg", "ERC-20 transfer gas/tx", "ratio"));
            for (Row row : rows) {
                out.append(String.format(Locale.ROOT, "%6d  %,12d  %,9.0f  %,17.0f  %,22.0f  %6.1fx%n", row.legs(),
                    row.settleGas(), row.settleGasPerLeg(), (double) row.calldataGas() / row.legs(), row.transferGasPerLeg(),
                    row.transferGasPerLeg() / row.settleGasPerLeg()));
            }
            out.append(String.format(Locale.ROOT, "first credit of an (account, asset): %,.0f gas/leg (zero to non-zero)%n",
                newBalanceGasPerLeg));
            return out.toString();
        }
    }

    private SettlementGasBenchmark() {
    }

    public static void main(String[] args) throws IOException, ChainException {
        List<Integer> sizes = args.length == 0 ? DEFAULT_BATCH_LEGS
            : List.of(args[0].split(",")).stream().map(String::strip).map(Integer::valueOf).toList();
        try (Anvil anvil = Anvil.start(); ChainClient chain = anvil.client(0)) {
            System.out.print(run(chain, sizes).table());
        }
    }

    /** Deploys fresh contracts with {@code chain}'s key (which becomes admin and operator) and measures. */
    public static Result run(ChainClient chain, List<Integer> batchLegs) throws ChainException {
        int accounts = batchLegs.stream().mapToInt(n -> (n + 1) / 2).max().orElseThrow();
        TestUsdt usdt = TestUsdt.deploy(chain);
        XStockToken xstock = XStockToken.deploy(chain, "Tesla xStock", "TSLAx");
        SettlementVault vault = SettlementVault.deploy(chain, 7 * 24 * 3600);
        vault.grantOperator(chain.address());
        xstock.grantRole(XStockToken.ISSUER_ROLE, chain.address());
        vault.registerAsset(USDT, usdt.address(), AssetKind.ERC20);
        vault.registerAsset(XSTOCK, xstock.address(), AssetKind.SHARES);

        // Account 0 deposits everything; one batch per asset spreads it over accounts 1..accounts.
        BigInteger usdtTotal = USDT_SEED.multiply(BigInteger.valueOf(accounts + 1L));
        BigInteger xstockTotal = XSTOCK_SEED.multiply(BigInteger.valueOf(accounts + 1L));
        usdt.mint(chain.address(), usdtTotal.shiftLeft(1));
        xstock.mintShares(chain.address(), xstockTotal);
        usdt.approve(vault.address(), usdtTotal);
        xstock.approve(vault.address(), xstockTotal);
        vault.deposit(0, USDT, usdtTotal);
        vault.deposit(0, XSTOCK, xstockTotal);
        long batchId = 0;
        long seedGas = 0;
        for (int asset : new int[] {USDT, XSTOCK}) {
            BigInteger seed = asset == USDT ? USDT_SEED : XSTOCK_SEED;
            List<Leg> legs = new ArrayList<>();
            legs.add(new Leg(0, asset, seed.multiply(BigInteger.valueOf(accounts)).negate()));
            for (int account = 1; account <= accounts; account++) {
                legs.add(new Leg(account, asset, seed));
            }
            seedGas += vault.settle(++batchId, LegCodec.encodeLegs(legs), new byte[0]).getGasUsed().longValueExact();
        }
        double newBalanceGasPerLeg = (double) seedGas / (2L * (accounts + 1));

        // The transfers' recipients already hold USDT, as the vault's accounts hold balances.
        List<String> recipients = new ArrayList<>();
        for (int i = 1; i <= batchLegs.stream().mapToInt(Integer::intValue).max().orElseThrow(); i++) {
            recipients.add(String.format(Locale.ROOT, "0x%040x", 0x1000 + i));
        }
        transfers(chain, usdt, recipients);

        SplittableRandom random = new SplittableRandom(42);
        List<Row> rows = new ArrayList<>();
        for (int n : batchLegs) {
            byte[] legs = LegCodec.encodeLegs(tradeLegs(n, random));
            String data = SettlementVault.settleData(++batchId, legs, new byte[0]);
            long settleGas = vault.settle(batchId, legs, new byte[0]).getGasUsed().longValueExact();
            long transferGas = 0;
            for (TransactionReceipt receipt : transfers(chain, usdt, recipients.subList(0, n))) {
                transferGas += receipt.getGasUsed().longValueExact();
            }
            rows.add(new Row(n, settleGas, calldataGas(data), (double) transferGas / n));
        }
        return new Result(rows, newBalanceGasPerLeg);
    }

    /**
     * {@code n} legs over accounts 1..ceil(n/2): USDT for each, the xStock for as many as fit, each asset summing
     * to zero; up to 10,000 USDT and 100 xStock shares per leg.
     */
    static List<Leg> tradeLegs(int n, SplittableRandom random) {
        List<Leg> legs = new ArrayList<>(n);
        int usdtLegs = (n + 1) / 2;
        legs.addAll(zeroSum(USDT, usdtLegs, BigInteger.valueOf(10_000_000_000L), random));
        legs.addAll(zeroSum(XSTOCK, n - usdtLegs, BigInteger.TEN.pow(20), random));
        return legs;
    }

    private static List<Leg> zeroSum(int asset, int count, BigInteger max, SplittableRandom random) {
        List<Leg> legs = new ArrayList<>(count);
        BigInteger sum = BigInteger.ZERO;
        for (int account = 1; account < count; account++) {
            BigInteger amount = new BigInteger(max.bitLength() - 1, new java.util.Random(random.nextLong())).add(BigInteger.ONE);
            if (random.nextBoolean()) {
                amount = amount.negate();
            }
            sum = sum.add(amount);
            legs.add(new Leg(account, asset, amount));
        }
        if (count > 0) {
            legs.add(new Leg(count, asset, sum.negate()));
        }
        return legs;
    }

    /** The calldata's intrinsic gas before EIP-7623's floor: 4 per zero byte, 16 per other byte. */
    static long calldataGas(String data) {
        long gas = 0;
        for (byte b : Numeric.hexStringToByteArray(data)) {
            gas += b == 0 ? 4 : 16;
        }
        return gas;
    }

    /** One transfer of 1 USDT to each recipient, each its own transaction: all sent, then all receipts read. */
    private static List<TransactionReceipt> transfers(ChainClient chain, TestUsdt usdt, List<String> recipients)
        throws ChainException {
        BigInteger nonce = chain.pendingNonce();
        List<String> hashes = new ArrayList<>(recipients.size());
        for (String recipient : recipients) {
            hashes.add(chain.send(usdt.address(), Erc20Token.transferData(recipient, BigInteger.valueOf(1_000_000)), nonce,
                TRANSFER_GAS_LIMIT));
            nonce = nonce.add(BigInteger.ONE);
        }
        List<TransactionReceipt> receipts = new ArrayList<>(hashes.size());
        for (String hash : hashes) {
            TransactionReceipt receipt = chain.waitForReceipt(hash, ChainClient.DEFAULT_RECEIPT_TIMEOUT);
            if (!receipt.isStatusOK()) {
                throw new ContractRevertException("transfer " + hash + " reverted", "", "");
            }
            receipts.add(receipt);
        }
        return receipts;
    }
}
