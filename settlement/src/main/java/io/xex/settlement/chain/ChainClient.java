package io.xex.settlement.chain;

import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One signing key on one EVM chain over JSON-RPC (web3j): calls, gas estimates, signed EIP-1559 transactions,
 * receipts and logs.
 * <p>
 * <b>Every method blocks on the network: call it on a worker thread, never on an event loop.</b> The client is as
 * thread-safe as web3j's HTTP service. {@link #signed} and {@link #send} take the nonce from their caller, who
 * manages nonces (the settlement verticle); {@link #execute} and {@link #deploy} read the pending nonce from the
 * node, which is right only while nothing else sends from the same key at the same time (tests, the demo's set-up,
 * benchmarks).
 */
public final class ChainClient implements AutoCloseable {
    /** The tip offered to the block producer: 1 gwei. */
    public static final BigInteger DEFAULT_PRIORITY_FEE_WEI = BigInteger.valueOf(1_000_000_000L);
    public static final Duration DEFAULT_RECEIPT_TIMEOUT = Duration.ofSeconds(60);
    /** {@link #execute} and {@link #deploy} send the node's gas estimate plus this share of it (percent). */
    public static final int GAS_MARGIN_PERCENT = 20;
    /** Receipt polls start this often and back off by doubling up to {@link #MAX_RECEIPT_POLL_MS}. */
    private static final long MIN_RECEIPT_POLL_MS = 2;
    private static final long MAX_RECEIPT_POLL_MS = 250;

    private final Web3j web3j;
    private final Credentials credentials;
    private final long chainId;

    private ChainClient(Web3j web3j, Credentials credentials, long chainId) {
        this.web3j = web3j;
        this.credentials = credentials;
        this.chainId = chainId;
    }

    /** Connects to {@code rpcUrl} with the key {@code privateKey} (hex) and reads the chain id. */
    public static ChainClient connect(String rpcUrl, String privateKey) throws ChainException {
        Web3j web3j = Web3j.build(new HttpService(rpcUrl));
        try {
            long chainId = send(web3j.ethChainId(), "eth_chainId").getChainId().longValueExact();
            return new ChainClient(web3j, Credentials.create(privateKey), chainId);
        } catch (ChainException | RuntimeException e) {
            web3j.shutdown();
            throw e;
        }
    }

    /** The signer's address, lower case with 0x. */
    public String address() {
        return credentials.getAddress();
    }

    public long chainId() {
        return chainId;
    }

    /** The underlying web3j client, for what this class does not wrap. */
    public Web3j web3j() {
        return web3j;
    }

    public BigInteger blockNumber() throws ChainException {
        return send(web3j.ethBlockNumber(), "eth_blockNumber").getBlockNumber();
    }

    /** The signer's next nonce counting its pending transactions. */
    public BigInteger pendingNonce() throws ChainException {
        return send(web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.PENDING), "eth_getTransactionCount")
            .getTransactionCount();
    }

    /** {@code eth_call} of {@code data} on {@code to} at the latest block; its result in hex with 0x. */
    public String call(String to, String data) throws ChainException {
        return send(web3j.ethCall(Transaction.createEthCallTransaction(address(), to, data), DefaultBlockParameterName.LATEST),
            "eth_call").getValue();
    }

    /** Whether a contract is deployed at {@code address} at the latest block ({@code eth_getCode} is not empty). */
    public boolean hasCode(String address) throws ChainException {
        String code = send(web3j.ethGetCode(address, DefaultBlockParameterName.LATEST), "eth_getCode").getCode();
        return code != null && !code.isEmpty() && !code.equals("0x");
    }

    /** The node's gas estimate for sending {@code data} to {@code to} (null: a deployment). */
    public BigInteger estimateGas(String to, String data) throws ChainException {
        Transaction tx = to == null
            ? Transaction.createContractTransaction(address(), null, null, data)
            : Transaction.createEthCallTransaction(address(), to, data);
        return send(web3j.ethEstimateGas(tx), "eth_estimateGas").getAmountUsed();
    }

    /** A signed transaction: its raw encoding (hex with 0x) for {@link #broadcast} and its hash. */
    public record SignedTransaction(String raw, String hash, BigInteger nonce) {
    }

    /** The fees of an EIP-1559 transaction, in wei. */
    public record Fees(BigInteger maxPriorityFeePerGas, BigInteger maxFeePerGas) {
    }

    /** {@link #DEFAULT_PRIORITY_FEE_WEI} as the tip, and twice the latest block's base fee plus the tip as the cap. */
    public Fees fees() throws ChainException {
        EthBlock.Block latest = send(web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false), "eth_getBlockByNumber")
            .getBlock();
        BigInteger baseFee = latest.getBaseFeePerGas() == null ? BigInteger.ZERO : latest.getBaseFeePerGas();
        return new Fees(DEFAULT_PRIORITY_FEE_WEI, baseFee.shiftLeft(1).add(DEFAULT_PRIORITY_FEE_WEI));
    }

    /**
     * Signs an EIP-1559 transaction without sending it. Signing is deterministic: the same arguments give the same
     * raw transaction and hash.
     *
     * @param to       the contract, or null to deploy {@code data}
     * @param nonce    the signer's nonce for this transaction
     * @param gasLimit the gas limit
     */
    public SignedTransaction signed(String to, String data, BigInteger nonce, BigInteger gasLimit, Fees fees) {
        RawTransaction tx = RawTransaction.createTransaction(chainId, nonce, gasLimit, to == null ? "" : to, BigInteger.ZERO,
            data, fees.maxPriorityFeePerGas(), fees.maxFeePerGas());
        byte[] signed = TransactionEncoder.signMessage(tx, chainId, credentials);
        return new SignedTransaction(Numeric.toHexString(signed), Numeric.toHexString(Hash.sha3(signed)), nonce);
    }

    /** Hands a signed transaction to the node ({@code eth_sendRawTransaction}); its hash. */
    public String broadcast(String raw) throws ChainException {
        return send(web3j.ethSendRawTransaction(raw), "eth_sendRawTransaction").getTransactionHash();
    }

    /**
     * Signs and sends an EIP-1559 transaction with {@link #fees()} and returns its hash at once.
     *
     * @param to       the contract, or null to deploy {@code data}
     * @param nonce    the signer's nonce for this transaction
     * @param gasLimit the gas limit
     */
    public String send(String to, String data, BigInteger nonce, BigInteger gasLimit) throws ChainException {
        return broadcast(signed(to, data, nonce, gasLimit, fees()).raw());
    }

    /** Whether the node knows {@code txHash}, pending or mined ({@code eth_getTransactionByHash}). */
    public boolean knows(String txHash) throws ChainException {
        return send(web3j.ethGetTransactionByHash(txHash), "eth_getTransactionByHash").getTransaction().isPresent();
    }

    /** The signer's next nonce counting only mined transactions. */
    public BigInteger minedNonce() throws ChainException {
        return send(web3j.ethGetTransactionCount(address(), DefaultBlockParameterName.LATEST), "eth_getTransactionCount")
            .getTransactionCount();
    }

    /** The hash of the canonical block at {@code number}, if the chain is that long. */
    public Optional<String> blockHash(BigInteger number) throws ChainException {
        EthBlock.Block block = send(web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(number), false),
            "eth_getBlockByNumber").getBlock();
        return block == null ? Optional.empty() : Optional.of(block.getHash());
    }

    /** {@code eth_call} of {@code data} on {@code to} at block {@code number}; its result in hex with 0x. */
    public String callAt(String to, String data, BigInteger number) throws ChainException {
        return send(web3j.ethCall(Transaction.createEthCallTransaction(address(), to, data),
            DefaultBlockParameter.valueOf(number)), "eth_call").getValue();
    }

    /** The receipt of a mined transaction, if there is one yet. */
    public Optional<TransactionReceipt> receipt(String txHash) throws ChainException {
        return send(web3j.ethGetTransactionReceipt(txHash), "eth_getTransactionReceipt").getTransactionReceipt();
    }

    /** Polls for the receipt of {@code txHash} until it is mined or {@code timeout} has passed. */
    public TransactionReceipt waitForReceipt(String txHash, Duration timeout) throws ChainException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long pollMs = MIN_RECEIPT_POLL_MS;
        while (true) {
            Optional<TransactionReceipt> receipt = receipt(txHash);
            if (receipt.isPresent()) {
                return receipt.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ChainException("no receipt for " + txHash + " within " + timeout);
            }
            try {
                Thread.sleep(pollMs);
                pollMs = Math.min(pollMs * 2, MAX_RECEIPT_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChainException("interrupted waiting for " + txHash, e);
            }
        }
    }

    /**
     * Estimates, sends with the pending nonce and waits for the receipt. A revert found by the estimate or in the
     * receipt throws {@link ContractRevertException}.
     */
    public TransactionReceipt execute(String to, String data) throws ChainException {
        BigInteger gas = estimateGas(to, data);
        BigInteger gasLimit = gas.add(gas.multiply(BigInteger.valueOf(GAS_MARGIN_PERCENT)).divide(BigInteger.valueOf(100)));
        TransactionReceipt receipt = waitForReceipt(send(to, data, pendingNonce(), gasLimit), DEFAULT_RECEIPT_TIMEOUT);
        if (!receipt.isStatusOK()) {
            throw new ContractRevertException("transaction " + receipt.getTransactionHash() + " reverted in block "
                + receipt.getBlockNumber(), "", "");
        }
        return receipt;
    }

    /** Deploys {@code data} (creation bytecode and constructor arguments) and returns the contract's address. */
    public String deploy(String data) throws ChainException {
        return execute(null, data).getContractAddress();
    }

    /** {@code eth_getLogs} of {@code address} with {@code topic0} over blocks {@code from..to} (inclusive). */
    public List<Log> logs(String address, String topic0, BigInteger from, BigInteger to) throws ChainException {
        return logs(address, from, to, topic0);
    }

    /** The logs of {@code address} in blocks {@code from..to} whose first topics are {@code topics}, in chain order. */
    public List<Log> logs(String address, BigInteger from, BigInteger to, String... topics) throws ChainException {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(from), DefaultBlockParameter.valueOf(to), address);
        for (String topic : topics) {
            filter.addSingleTopic(topic);
        }
        List<Log> logs = new ArrayList<>();
        for (EthLog.LogResult<?> result : send(web3j.ethGetLogs(filter), "eth_getLogs").getLogs()) {
            logs.add((Log) result.get());
        }
        return logs;
    }

    @Override
    public void close() {
        web3j.shutdown();
    }

    /** The hex of an error's data, which web3j hands over as raw JSON (a quoted string for a revert), or empty. */
    private static String revertData(String data) {
        if (data == null) {
            return "";
        }
        String hex = data.strip();
        if (hex.length() >= 2 && hex.startsWith("\"") && hex.endsWith("\"")) {
            hex = hex.substring(1, hex.length() - 1);
        }
        return hex.matches("0x[0-9a-fA-F]*") ? hex : "";
    }

    private static <T extends Response<?>> T send(Request<?, T> request, String method) throws ChainException {
        T response;
        try {
            response = Objects.requireNonNull(request.send(), method);
        } catch (IOException e) {
            throw new ChainException(method + ": " + e.getMessage(), e);
        }
        if (response.hasError()) {
            Response.Error error = response.getError();
            String data = revertData(error.getData());
            if (!data.isEmpty() || error.getMessage() != null && error.getMessage().contains("revert")) {
                String revertData = data;
                RevertReasons.Reason reason = RevertReasons.describe(revertData);
                throw new ContractRevertException(method + " reverted: " + reason.text() + " (" + error.getMessage() + ")",
                    reason.errorName(), revertData);
            }
            throw new ChainException(method + ": error " + error.getCode() + ": " + error.getMessage());
        }
        return response;
    }
}
