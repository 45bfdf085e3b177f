package io.xex.settlement;

import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.ChainException;
import io.xex.settlement.chain.ContractRevertException;
import io.xex.settlement.chain.LegCodec;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.XStockToken;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The settlement verticle's hands on one chain: signs a batch's transaction with its own nonces, broadcasts it, and
 * looks for its receipt. It connects (and checks the chain id) on first use, so a chain that is down at start delays
 * settlement, not the venue. Before signing a batch it checks that every xStock the batch moves has, on chain, the
 * multiplier the batch was converted at ({@link #multiplierDisagreement}).
 *
 * <p>Signing and broadcasting are two steps so that the verticle stores the hash and nonce (SUBMITTED) in between:
 * a process that dies after the broadcast always finds the hash. The raw transaction is not stored; a SUBMITTED
 * batch whose transaction the node does not know (never broadcast, dropped from the pool, or removed by a reorg) is
 * signed again with the same nonce while the vault has not settled its id ({@link #poll}).
 *
 * <p><b>Blocking; confined to the settlement worker</b> (one thread, one call at a time). The nonce is counted
 * here: read from the node's pending count (and no lower than the stored batches' nonces) at the first submission
 * after connecting, then incremented per signed transaction.
 */
final class VaultSubmitter implements AutoCloseable {
    /** The vault's error for a batch id at or below the last settled one: that batch is settled already. */
    static final String ALREADY_SETTLED = "BatchIdNotIncreasing";
    private static final BigInteger GAS_MARGIN_PERCENT = BigInteger.valueOf(ChainClient.GAS_MARGIN_PERCENT);
    private static final BigInteger HUNDRED = BigInteger.valueOf(100);

    /** What the chain said about a batch. */
    sealed interface Outcome {
        /** Signed, not yet broadcast: store {@code txHash} and {@code nonce}, then {@link #broadcast} {@code raw}. */
        record Signed(String txHash, long nonce, String raw) implements Outcome {
        }

        /** Not mined yet, or not deep enough. */
        record Waiting() implements Outcome {
        }

        /** Settled, {@code confirmations} deep, by this transaction or by an earlier one of the same batch. */
        record Settled() implements Outcome {
        }

        /** The vault refuses it. */
        record Refused(String reason) implements Outcome {
        }
    }

    private final SettlementConfig config;
    /** The highest batch id CONFIRMED in the database when the verticle started: the vault has settled at least it. */
    private final long confirmedAtStart;
    /** The highest batch id recorded in the database when the verticle started: the vault cannot be past it. */
    private final long recordedAtStart;
    private final EngineMultipliers multipliers;
    private ChainClient client;
    private SettlementVault vault;
    /** The next nonce to use, or null to read it from the node first. */
    private BigInteger nonce;

    /**
     * @param confirmedAtStart the highest batch id CONFIRMED in the settlement table (0: none)
     * @param recordedAtStart  the highest batch id recorded in it (0: none)
     * @param multipliers      the engine's multipliers of the chain's xStocks, by sequence
     */
    VaultSubmitter(SettlementConfig config, long confirmedAtStart, long recordedAtStart, EngineMultipliers multipliers) {
        this.config = config;
        this.confirmedAtStart = confirmedAtStart;
        this.recordedAtStart = recordedAtStart;
        this.multipliers = multipliers;
    }

    /**
     * Connects now: fails with {@link VaultMismatchException} if the vault's last batch id disagrees with the
     * settlement table, with a {@link ChainException} if the chain cannot be reached (or is the wrong one).
     */
    void check() throws ChainException {
        connect();
    }

    /**
     * Signs {@code settle(batch)} with the next nonce, unless the node's estimate (against the pending state, so
     * with the batches in flight before it) shows the vault would refuse it. {@code nonceFloor} is one past the
     * highest nonce of the batches stored SUBMITTED: the first nonce after a start is at least that, even if their
     * transactions never reached the node.
     */
    Outcome submit(SettlementBatch batch, long nonceFloor) throws ChainException {
        connect();
        if (nonce == null) {
            nonce = client.pendingNonce().max(BigInteger.valueOf(nonceFloor));
        }
        return sign(batch, nonce);
    }

    /**
     * Hands a transaction from {@link Outcome.Signed} to the node. The nonce counter goes on even if it fails: a
     * transaction that did not reach the node leaves a gap that its batch fills when it is polled as the oldest in
     * flight and signed again with the same nonce, so later batches never take an earlier one's nonce.
     */
    void broadcast(String raw) throws ChainException {
        connect();
        client.broadcast(raw);
    }

    /**
     * Where the batch's transaction {@code txHash} is: settled once its receipt is {@code confirmations} deep and its
     * block still canonical; signed again with the same nonce when the node no longer knows it and the vault has not
     * settled the batch (the vault's increasing ids make a second application impossible either way).
     */
    Outcome poll(SettlementBatch batch) throws ChainException {
        connect();
        Optional<TransactionReceipt> found = client.receipt(batch.txHash());
        if (found.isEmpty()) {
            return lost(batch);
        }
        TransactionReceipt receipt = found.get();
        BigInteger head = client.blockNumber();
        Optional<String> canonical = client.blockHash(receipt.getBlockNumber());
        if (canonical.isEmpty() || !canonical.get().equalsIgnoreCase(receipt.getBlockHash())) {
            return lost(batch);
        }
        if (!receipt.isStatusOK()) {
            return vault.lastBatchId() >= batch.batchId() ? settledIfDeep(batch, head)
                : new Outcome.Refused("transaction " + receipt.getTransactionHash() + " reverted in block "
                    + receipt.getBlockNumber());
        }
        BigInteger depth = head.subtract(receipt.getBlockNumber()).add(BigInteger.ONE);
        return depth.compareTo(BigInteger.valueOf(config.confirmations())) >= 0 ? new Outcome.Settled()
            : new Outcome.Waiting();
    }

    /** No receipt: pending still, settled by another transaction, or lost and signed again. */
    private Outcome lost(SettlementBatch batch) throws ChainException {
        if (client.knows(batch.txHash())) {
            return new Outcome.Waiting();
        }
        if (vault.lastBatchId() >= batch.batchId()) {
            return settledIfDeep(batch, client.blockNumber());
        }
        // Our batches go one at a time, so the nonce is this batch's unless another sender from our key took it.
        BigInteger again = BigInteger.valueOf(batch.nonce());
        if (batch.nonce() < 0 || client.minedNonce().compareTo(again) > 0) {
            again = client.pendingNonce();
        }
        return sign(batch, again);
    }

    /**
     * Settled when the vault's last batch id covers the batch {@code confirmations} blocks deep and the batch's own
     * {@code BatchSettled} event is there; waiting while the id is not covered. Covered without the event, the vault
     * settled a later batch first (its transaction overtook this one's) and can never settle this one: refused.
     */
    private Outcome settledIfDeep(SettlementBatch batch, BigInteger head) throws ChainException {
        BigInteger deep = head.subtract(BigInteger.valueOf(config.confirmations() - 1L));
        if (deep.signum() < 0) {
            return new Outcome.Waiting();
        }
        long last = vault.lastBatchId(deep);
        if (last < batch.batchId()) {
            return new Outcome.Waiting();
        }
        return vault.settledBatch(batch.batchId(), deep) ? new Outcome.Settled()
            : new Outcome.Refused("passed over: the vault settled batch " + last + " before it");
    }

    private Outcome sign(SettlementBatch batch, BigInteger with) throws ChainException {
        // Checked at every signing: a scheduled multiplier change may have become active since the last one.
        String multiplier = multiplierDisagreement(batch);
        if (multiplier != null) {
            return new Outcome.Refused(multiplier);
        }
        String data = SettlementVault.settleData(batch.batchId(), batch.legs(), batch.withdrawals());
        BigInteger gas;
        try {
            gas = client.estimateGas(vault.address(), data);
        } catch (ContractRevertException e) {
            // The estimate runs against the pending state: "already settled" may be a transaction still in the pool.
            return ALREADY_SETTLED.equals(e.errorName()) ? settledIfDeep(batch, client.blockNumber())
                : new Outcome.Refused(e.errorName().isEmpty() ? e.getMessage() : e.errorName());
        }
        BigInteger gasLimit = gas.add(gas.multiply(GAS_MARGIN_PERCENT).divide(HUNDRED));
        ChainClient.SignedTransaction tx = client.signed(vault.address(), data, with, gasLimit, client.fees());
        BigInteger next = with.add(BigInteger.ONE);
        if (nonce == null || nonce.compareTo(next) < 0) {
            nonce = next;
        }
        return new Outcome.Signed(tx.hash(), with.longValueExact(), tx.raw());
    }

    private void connect() throws ChainException {
        if (client != null) {
            return;
        }
        ChainClient connected = ChainClient.connect(config.rpcUrl(), config.operatorKey());
        try {
            if (connected.chainId() != config.chainId()) {
                throw new ChainException("settlement.chain.id is " + config.chainId() + " but " + config.rpcUrl()
                    + " is chain " + connected.chainId());
            }
            checkAgainstTable(SettlementVault.at(connected, config.vault()).lastBatchId());
        } catch (ChainException | RuntimeException e) {
            connected.close();
            throw e;
        }
        client = connected;
        vault = SettlementVault.at(client, config.vault());
        nonce = null;
    }

    /**
     * Why the batch must not be signed, or null: an xStock it moves whose token has neither as its multiplier in
     * force ({@code multiplier()}) nor as its scheduled one ({@code scheduledMultiplier()}, which is also the one in
     * force once active) the engine's multiplier the batch was converted at, or one the engine took after the
     * batch. The engine and the token then disagree on what a share is worth (a corporate action applied on one side
     * only, or a different one): the batch is FAILED with this reason and waits for the operator, who makes them
     * agree and retries it.
     *
     * <p>The vault moves shares, so a batch converted at the old multiplier is right whichever multiplier the token
     * has when it is mined: one checked just before an activation and mined just after it settles what the engine
     * traded, and so does one of an old epoch still in flight (or sent again) after the engine and the token have
     * both moved on, which is why the engine's later multipliers are accepted too. The check catches disagreement,
     * not timing; the window it refuses is a token whose change is active while the engine has not applied it yet
     * (the issuer schedules the change ahead, the engine applies it at the activation time).
     */
    private String multiplierDisagreement(SettlementBatch batch) throws ChainException {
        Set<Integer> moved = new TreeSet<>();
        LegCodec.decodeLegs(batch.legs()).forEach(leg -> moved.add(leg.assetId()));
        LegCodec.decodeWithdrawals(batch.withdrawals()).forEach(withdrawal -> moved.add(withdrawal.assetId()));
        for (ChainAsset asset : config.assets()) {
            if (asset.kind() != SettlementVault.AssetKind.SHARES || !moved.contains(asset.assetId())) {
                continue;
            }
            BigInteger engine = multipliers.at(asset.assetId(), batch.firstSequence());
            Set<BigInteger> agreeing = new HashSet<>(multipliers.after(asset.assetId(), batch.lastSequence()));
            agreeing.add(engine);
            XStockToken token = XStockToken.at(client, asset.token());
            BigInteger inForce = token.multiplier();
            BigInteger scheduled = token.scheduledMultiplier();
            if (!agreeing.contains(inForce) && !agreeing.contains(scheduled)) {
                return asset.symbol() + " at " + asset.token() + " has multiplier " + inForce + " (scheduled "
                    + scheduled + "; 1e18 = 1) but batch " + batch.batchId() + " was converted at the engine's "
                    + engine + ": the engine and the token disagree on the multiplier (a corporate action applied on"
                    + " one side only?); make them agree, then retry the batch";
            }
        }
        return null;
    }

    /** Batches settle in id order and only after they are recorded, so the vault's last id lies between the two. */
    private void checkAgainstTable(long vaultLast) throws VaultMismatchException {
        if (vaultLast > recordedAtStart) {
            throw new VaultMismatchException("the vault " + config.vault() + " on chain " + config.chainId()
                + " has settled batch " + vaultLast + " but the database records batches only up to " + recordedAtStart
                + ": was the database reset or restored, or does another venue settle to this vault? Restore the"
                + " database, or configure a new vault (settlement.chain.vault)");
        }
        if (vaultLast < confirmedAtStart) {
            throw new VaultMismatchException("the database has batch " + confirmedAtStart + " CONFIRMED but the vault "
                + config.vault() + " on chain " + config.chainId() + " has settled only up to batch " + vaultLast
                + ": was the chain reset under a kept database? Restore the chain, or start with a new database");
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
