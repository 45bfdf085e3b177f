package io.xex.settlement;

import io.xex.settlement.SettlementConfig.ChainAsset;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.ChainException;
import io.xex.settlement.chain.ContractRevertException;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.XStockToken;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;
import java.util.Optional;

/**
 * The settlement verticle's hands on one chain: sends a batch with its own nonces and looks for its receipt. It
 * connects (and checks the chain id and every xStock's multiplier) on first use, so a chain that is down at start
 * delays settlement, not the venue.
 *
 * <p><b>Blocking; confined to the settlement worker</b> (one thread, one call at a time). The nonce is counted
 * here: read from the node's pending count when connecting and after any send that may or may not have reached
 * the node, then incremented per sent transaction.
 */
final class VaultSubmitter implements AutoCloseable {
    /** The vault's error for a batch id at or below the last settled one: that batch is settled already. */
    static final String ALREADY_SETTLED = "BatchIdNotIncreasing";
    private static final BigInteger GAS_MARGIN_PERCENT = BigInteger.valueOf(ChainClient.GAS_MARGIN_PERCENT);
    private static final BigInteger HUNDRED = BigInteger.valueOf(100);

    /** What the chain said about a batch. */
    sealed interface Outcome {
        /** Sent in transaction {@code txHash} with {@code nonce}. */
        record Sent(String txHash, long nonce) implements Outcome {
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
    private ChainClient client;
    private SettlementVault vault;
    /** The next nonce to use, or null to read it from the node first. */
    private BigInteger nonce;

    VaultSubmitter(SettlementConfig config) {
        this.config = config;
    }

    /** Sends {@code settle(batch)}, unless the node's estimate shows the vault would refuse it. */
    Outcome submit(SettlementBatch batch) throws ChainException {
        connect();
        String data = SettlementVault.settleData(batch.batchId(), batch.legs(), batch.withdrawals());
        BigInteger gas;
        try {
            gas = client.estimateGas(vault.address(), data);
        } catch (ContractRevertException e) {
            return refusal(e.errorName().isEmpty() ? e.getMessage() : e.errorName());
        }
        if (nonce == null) {
            nonce = client.pendingNonce();
        }
        BigInteger gasLimit = gas.add(gas.multiply(GAS_MARGIN_PERCENT).divide(HUNDRED));
        String hash;
        try {
            hash = client.send(vault.address(), data, nonce, gasLimit);
        } catch (ChainException e) {
            nonce = null;
            throw e;
        }
        long used = nonce.longValueExact();
        nonce = nonce.add(BigInteger.ONE);
        return new Outcome.Sent(hash, used);
    }

    /** Where the batch's transaction {@code txHash} is. */
    Outcome poll(SettlementBatch batch) throws ChainException {
        connect();
        Optional<TransactionReceipt> found = client.receipt(batch.txHash());
        if (found.isEmpty()) {
            // TODO(#6): a transaction dropped from the pool is never re-sent yet.
            return new Outcome.Waiting();
        }
        TransactionReceipt receipt = found.get();
        if (!receipt.isStatusOK()) {
            return vault.lastBatchId() >= batch.batchId() ? new Outcome.Settled()
                : new Outcome.Refused("transaction " + receipt.getTransactionHash() + " reverted in block "
                    + receipt.getBlockNumber());
        }
        BigInteger depth = client.blockNumber().subtract(receipt.getBlockNumber()).add(BigInteger.ONE);
        return depth.compareTo(BigInteger.valueOf(config.confirmations())) >= 0 ? new Outcome.Settled()
            : new Outcome.Waiting();
    }

    private static Outcome refusal(String reason) {
        return ALREADY_SETTLED.equals(reason) ? new Outcome.Settled() : new Outcome.Refused(reason);
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
            for (ChainAsset asset : config.assets()) {
                if (asset.kind() == SettlementVault.AssetKind.SHARES) {
                    BigInteger multiplier = XStockToken.at(connected, asset.token()).multiplier();
                    if (!multiplier.equals(XStockToken.ONE)) {
                        throw new ChainException(asset.symbol() + " at " + asset.token() + " has multiplier " + multiplier
                            + " (1e18 = 1): settling an xStock at another multiplier is not supported yet");
                    }
                }
            }
        } catch (ChainException | RuntimeException e) {
            connected.close();
            throw e;
        }
        client = connected;
        vault = SettlementVault.at(client, config.vault());
        nonce = null;
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
