package io.xex.settlement.chain;

import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The {@code SettlementVault} contract at one address, seen through one {@link ChainClient}: hand-written
 * bindings over web3j's ABI encoder. Leg and withdrawal encoding is {@link LegCodec}'s; amounts are in the vault's
 * units of each asset (token base units; shares for an asset registered as {@link AssetKind#SHARES}).
 * <p>
 * <b>Every method that talks to the chain blocks: call it on a worker thread, never on an event loop.</b> The
 * {@code …Data} methods only encode calldata, for a caller that sends with its own nonces
 * ({@link ChainClient#send}).
 */
public final class SettlementVault {
    public static final String DEPOSIT_TOPIC = Abi.topic("Deposit(uint32,uint16,uint256,address)");
    public static final String BATCH_SETTLED_TOPIC = Abi.topic("BatchSettled(uint64,bytes32,bytes32,uint32,uint32)");
    public static final String WITHDRAWAL_TOPIC = Abi.topic("Withdrawal(uint64,uint32,uint16,uint256,address)");
    public static final String WITHDRAWAL_FAILED_TOPIC = Abi.topic("WithdrawalFailed(uint64,uint32,uint16,uint256,address)");
    public static final String FORCED_WITHDRAWAL_TOPIC = Abi.topic("ForcedWithdrawal(uint32,uint16,uint256,address)");
    public static final String OPERATOR_ROLE = Abi.topic("OPERATOR_ROLE");

    /** How the vault counts and moves an asset. */
    public enum AssetKind {
        /** Token base units, moved with {@code transfer} and {@code transferFrom}. */
        ERC20(1),
        /** An {@code XStockToken}'s shares, moved with {@code transferShares} and {@code transferSharesFrom}. */
        SHARES(2);

        private final int code;

        AssetKind(int code) {
            this.code = code;
        }
    }

    /** Where an event is on the chain: enough to order events and to tell one from another. */
    public record LogPosition(BigInteger blockNumber, String blockHash, String transactionHash, BigInteger logIndex,
                              boolean removed) {
        static LogPosition of(Log log) {
            return new LogPosition(log.getBlockNumber(), log.getBlockHash(), log.getTransactionHash(), log.getLogIndex(),
                log.isRemoved());
        }
    }

    public record DepositEvent(LogPosition position, long accountId, int assetId, BigInteger amount, String depositor) {
    }

    /** A settled batch; the hashes are keccak256 of its encoded legs and withdrawals, in hex with 0x. */
    public record BatchSettledEvent(LogPosition position, long batchId, String legsHash, String withdrawalsHash,
                                    long legCount, long withdrawalCount) {
    }

    /** A withdrawal of a batch: paid, or refused by the token and credited back ({@code paid} false). */
    public record WithdrawalEvent(LogPosition position, long batchId, long accountId, int assetId, BigInteger amount,
                                  String to, boolean paid) {
    }

    public record ForcedWithdrawalEvent(LogPosition position, long accountId, int assetId, BigInteger amount, String to) {
    }

    private final ChainClient chain;
    private final String address;

    private SettlementVault(ChainClient chain, String address) {
        this.chain = chain;
        this.address = address;
    }

    public static SettlementVault at(ChainClient chain, String address) {
        return new SettlementVault(chain, address);
    }

    /** Deploys a vault with the client's key as admin; grants it nothing. */
    public static SettlementVault deploy(ChainClient chain, long forcedWithdrawalDelaySeconds) throws ChainException {
        String data = ContractArtefact.load(ContractArtefact.SETTLEMENT_VAULT)
            .deployData(Abi.constructorArgs(new Uint256(forcedWithdrawalDelaySeconds)));
        return new SettlementVault(chain, chain.deploy(data));
    }

    public String address() {
        return address;
    }

    // ---- admin and operator

    public TransactionReceipt grantOperator(String account) throws ChainException {
        return chain.execute(address, Abi.call("grantRole", new Bytes32(Numeric.hexStringToByteArray(OPERATOR_ROLE)),
            new Address(account)));
    }

    public TransactionReceipt registerAsset(int assetId, String token, AssetKind kind) throws ChainException {
        return chain.execute(address, Abi.call("registerAsset", new Uint16(assetId), new Address(token), new Uint8(kind.code)));
    }

    public TransactionReceipt setWithdrawalAddress(long accountId, String to) throws ChainException {
        return chain.execute(address, Abi.call("setWithdrawalAddress", new Uint32(accountId), new Address(to)));
    }

    /** Settles one batch with the pending nonce and waits for it (see {@link #settleData} to send it yourself). */
    public TransactionReceipt settle(long batchId, byte[] legs, byte[] withdrawals) throws ChainException {
        return chain.execute(address, settleData(batchId, legs, withdrawals));
    }

    /** The calldata of {@code settle(batchId, legs, withdrawals)}, with legs and withdrawals from {@link LegCodec}. */
    public static String settleData(long batchId, byte[] legs, byte[] withdrawals) {
        return Abi.call("settle", new Uint64(batchId), new DynamicBytes(legs), new DynamicBytes(withdrawals));
    }

    // ---- anyone

    /** Pulls {@code amount} from the client's address, which must have approved the vault on the token. */
    public TransactionReceipt deposit(long accountId, int assetId, BigInteger amount) throws ChainException {
        return chain.execute(address, Abi.call("deposit", new Uint32(accountId), new Uint16(assetId), new Uint256(amount)));
    }

    /** Takes the account's whole balance of the asset; the client's key must be the account's withdrawal address. */
    public TransactionReceipt forceWithdraw(long accountId, int assetId) throws ChainException {
        return chain.execute(address, Abi.call("forceWithdraw", new Uint32(accountId), new Uint16(assetId)));
    }

    // ---- reads

    public BigInteger balanceOf(long accountId, int assetId) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("balanceOf", new Uint32(accountId), new Uint16(assetId))));
    }

    public long lastBatchId() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("lastBatchId"))).longValueExact();
    }

    /** {@link #lastBatchId()} as of block {@code number}. */
    public long lastBatchId(BigInteger number) throws ChainException {
        return Abi.decodeUint(chain.callAt(address, Abi.call("lastBatchId"), number)).longValueExact();
    }

    public long lastSettledAt() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("lastSettledAt"))).longValueExact();
    }

    /** The first timestamp at which a forced withdrawal works, unless a batch settles before. */
    public long forcedWithdrawalFrom() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("forcedWithdrawalFrom"))).longValueExact();
    }

    public long forcedWithdrawalDelay() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("forcedWithdrawalDelay"))).longValueExact();
    }

    /** The account's withdrawal address, or empty if none is set. */
    public Optional<String> withdrawalAddress(long accountId) throws ChainException {
        String to = Abi.decodeAddress(chain.call(address, Abi.call("withdrawalAddress", new Uint32(accountId))));
        return new BigInteger(Numeric.cleanHexPrefix(to), 16).signum() == 0 ? Optional.empty() : Optional.of(to);
    }

    // ---- events

    public List<DepositEvent> deposits(BigInteger fromBlock, BigInteger toBlock) throws ChainException {
        List<DepositEvent> events = new ArrayList<>();
        for (Log log : chain.logs(address, DEPOSIT_TOPIC, fromBlock, toBlock)) {
            events.add(decodeDeposit(log));
        }
        return events;
    }

    public List<BatchSettledEvent> batchesSettled(BigInteger fromBlock, BigInteger toBlock) throws ChainException {
        List<BatchSettledEvent> events = new ArrayList<>();
        for (Log log : chain.logs(address, BATCH_SETTLED_TOPIC, fromBlock, toBlock)) {
            events.add(decodeBatchSettled(log));
        }
        return events;
    }

    /** Whether batch {@code batchId} was settled in a block up to {@code toBlock} (its {@code BatchSettled} event). */
    public boolean settledBatch(long batchId, BigInteger toBlock) throws ChainException {
        String topic = Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(batchId), 64);
        return !chain.logs(address, BigInteger.ZERO, toBlock, BATCH_SETTLED_TOPIC, topic).isEmpty();
    }

    /** Paid and failed withdrawals, in the order of the chain. */
    public List<WithdrawalEvent> withdrawals(BigInteger fromBlock, BigInteger toBlock) throws ChainException {
        List<WithdrawalEvent> events = new ArrayList<>();
        for (Log log : chain.logs(address, WITHDRAWAL_TOPIC, fromBlock, toBlock)) {
            events.add(decodeWithdrawal(log));
        }
        for (Log log : chain.logs(address, WITHDRAWAL_FAILED_TOPIC, fromBlock, toBlock)) {
            events.add(decodeWithdrawal(log));
        }
        events.sort(Comparator.comparing((WithdrawalEvent e) -> e.position().blockNumber())
            .thenComparing(e -> e.position().logIndex()));
        return events;
    }

    /** Failed withdrawals only ({@code WithdrawalFailed}: the token refused, the vault credited the amount back). */
    public List<WithdrawalEvent> failedWithdrawals(BigInteger fromBlock, BigInteger toBlock) throws ChainException {
        List<WithdrawalEvent> events = new ArrayList<>();
        for (Log log : chain.logs(address, WITHDRAWAL_FAILED_TOPIC, fromBlock, toBlock)) {
            events.add(decodeWithdrawal(log));
        }
        return events;
    }

    public List<ForcedWithdrawalEvent> forcedWithdrawals(BigInteger fromBlock, BigInteger toBlock) throws ChainException {
        List<ForcedWithdrawalEvent> events = new ArrayList<>();
        for (Log log : chain.logs(address, FORCED_WITHDRAWAL_TOPIC, fromBlock, toBlock)) {
            events.add(decodeForcedWithdrawal(log));
        }
        return events;
    }

    /** The vault's events in a receipt, of the given topic. */
    public List<Log> logsOf(TransactionReceipt receipt, String topic) {
        return receipt.getLogs().stream()
            .filter(log -> log.getAddress().equalsIgnoreCase(address) && topic.equals(log.getTopics().getFirst()))
            .toList();
    }

    public static DepositEvent decodeDeposit(Log log) {
        List<String> topics = topics(log, DEPOSIT_TOPIC, 4);
        BigInteger amount = (BigInteger) Abi.decode(log.getData(), List.of(new TypeReference<Uint256>() {
        })).getFirst();
        return new DepositEvent(LogPosition.of(log), Abi.topicUint(topics.get(1)).longValueExact(),
            Abi.topicUint(topics.get(2)).intValueExact(), amount, Abi.topicAddress(topics.get(3)));
    }

    public static BatchSettledEvent decodeBatchSettled(Log log) {
        List<String> topics = topics(log, BATCH_SETTLED_TOPIC, 2);
        List<Object> data = Abi.decode(log.getData(), List.of(new TypeReference<Bytes32>() {
        }, new TypeReference<Bytes32>() {
        }, new TypeReference<Uint32>() {
        }, new TypeReference<Uint32>() {
        }));
        return new BatchSettledEvent(LogPosition.of(log), Abi.topicUint(topics.get(1)).longValueExact(),
            Numeric.toHexString((byte[]) data.get(0)), Numeric.toHexString((byte[]) data.get(1)), ((BigInteger) data.get(2)).longValueExact(), ((BigInteger) data.get(3)).longValueExact());
    }

    public static WithdrawalEvent decodeWithdrawal(Log log) {
        boolean paid = WITHDRAWAL_TOPIC.equals(log.getTopics().getFirst());
        List<String> topics = topics(log, paid ? WITHDRAWAL_TOPIC : WITHDRAWAL_FAILED_TOPIC, 4);
        List<Object> data = Abi.decode(log.getData(), List.of(new TypeReference<Uint256>() {
        }, new TypeReference<Address>() {
        }));
        return new WithdrawalEvent(LogPosition.of(log), Abi.topicUint(topics.get(1)).longValueExact(),
            Abi.topicUint(topics.get(2)).longValueExact(), Abi.topicUint(topics.get(3)).intValueExact(),
            (BigInteger) data.get(0), (String) data.get(1), paid);
    }

    public static ForcedWithdrawalEvent decodeForcedWithdrawal(Log log) {
        List<String> topics = topics(log, FORCED_WITHDRAWAL_TOPIC, 3);
        List<Object> data = Abi.decode(log.getData(), List.of(new TypeReference<Uint256>() {
        }, new TypeReference<Address>() {
        }));
        return new ForcedWithdrawalEvent(LogPosition.of(log), Abi.topicUint(topics.get(1)).longValueExact(),
            Abi.topicUint(topics.get(2)).intValueExact(), (BigInteger) data.get(0), (String) data.get(1));
    }

    private static List<String> topics(Log log, String topic0, int count) {
        List<String> topics = log.getTopics();
        if (topics.size() != count || !topic0.equals(topics.getFirst())) {
            throw new IllegalArgumentException("not the event " + topic0 + ": " + log);
        }
        return topics;
    }
}
