package io.xex.settlement.chain;

import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint16;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint32;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;
import java.util.List;

/**
 * The {@code IssuerDesk} contract at one address, seen through one {@link ChainClient}: the issuer's primary market
 * on chain. The desk holds the issuer role of each {@link XStockToken} and keeps the custodian's share ledger (per
 * token, the underlying shares the custodian holds, in token units), which moves in the same transaction as every
 * mint and burn so that a token's supply equals the custodian's shares ({@link #reserves}). It issues into the
 * {@link SettlementVault} for a venue account, once per request id; burns what the vault paid out to it; and
 * schedules corporate actions on the token and the ledger together. See the contract's comments for rounding.
 * <p>
 * <b>Every method blocks on the chain: call it on a worker thread, never on an event loop.</b>
 */
public final class IssuerDesk {
    /** The role that issues, burns and schedules corporate actions: the issuer operator's key holds it. */
    public static final String ISSUER_ROLE = Abi.topic("ISSUER_ROLE");
    /** Topic of {@code Issued(uint64 requestId, address token, uint32 accountId, uint256 amount, uint256 shares)}. */
    public static final String ISSUED_TOPIC = Abi.topic("Issued(uint64,address,uint32,uint256,uint256)");
    /** Topic of {@code Burned(address token, uint256 shares, uint256 amount)}. */
    public static final String BURNED_TOPIC = Abi.topic("Burned(address,uint256,uint256)");
    /** Topic of {@code CorporateActionScheduled(address token, uint256 newMultiplier, uint64 activationTime, ...)}. */
    public static final String CORPORATE_ACTION_SCHEDULED_TOPIC =
        Abi.topic("CorporateActionScheduled(address,uint256,uint64,uint256,uint256)");

    /**
     * A token's supply and the custodian's shares of it, both in token units (18 decimals).
     *
     * @param supply the token's {@code totalSupply()}
     * @param held   the custodian's shares by the desk's ledger
     */
    public record Reserves(BigInteger supply, BigInteger held) {
        /** Whether the tokens are backed exactly: the supply is the custodian's shares to the wei. */
        public boolean equal() {
            return supply.equals(held);
        }
    }

    /**
     * One issue: {@code amount} tokens minted and deposited as {@code shares} into the vault for {@code accountId}.
     *
     * @param requestId the issue's request id
     * @param token     the token's address, lower case with 0x
     * @param accountId the venue account credited
     * @param amount    the tokens minted, by which the custodian's ledger grew
     * @param shares    the token's shares they are, deposited into the vault
     */
    public record IssuedEvent(long requestId, String token, long accountId, BigInteger amount, BigInteger shares) {
    }

    /**
     * One burn of what the desk held.
     *
     * @param token  the token's address, lower case with 0x
     * @param shares the shares burnt
     * @param amount the tokens they were worth, by which the custodian's ledger shrank
     */
    public record BurnedEvent(String token, BigInteger shares, BigInteger amount) {
    }

    private final ChainClient chain;
    private final String address;

    private IssuerDesk(ChainClient chain, String address) {
        this.chain = chain;
        this.address = address;
    }

    /** The desk at {@code address}, seen through {@code chain}'s key. */
    public static IssuerDesk at(ChainClient chain, String address) {
        return new IssuerDesk(chain, address);
    }

    /** Deploys a desk that issues into the vault at {@code vault}, with the client's key as admin; grants it nothing. */
    public static IssuerDesk deploy(ChainClient chain, String vault) throws ChainException {
        String data = ContractArtefact.load(ContractArtefact.ISSUER_DESK).deployData(Abi.constructorArgs(new Address(vault)));
        return new IssuerDesk(chain, chain.deploy(data));
    }

    /** The desk's address. */
    public String address() {
        return address;
    }

    // ---- admin

    /** Grants {@code role} (such as {@link #ISSUER_ROLE}) to {@code account}; the client's key must be the admin. */
    public TransactionReceipt grantRole(String role, String account) throws ChainException {
        return chain.execute(address, Abi.call("grantRole", role(role), new Address(account)));
    }

    /** Revokes {@code role} from {@code account}; the client's key must be the admin. */
    public TransactionReceipt revokeRole(String role, String account) throws ChainException {
        return chain.execute(address, Abi.call("revokeRole", role(role), new Address(account)));
    }

    // ---- issuer

    /**
     * Mints {@code amount} of {@code token} (registered with the vault as the shares asset {@code assetId}) and
     * deposits the shares into the vault for {@code accountId}; the custodian's ledger grows by {@code amount}. A
     * second call with the same {@code requestId} reverts with {@code AlreadyIssued}.
     */
    public TransactionReceipt issue(long requestId, String token, int assetId, long accountId, BigInteger amount)
        throws ChainException {
        return chain.execute(address, Abi.call("issue", new Uint64(requestId), new Address(token), new Uint16(assetId),
            new Uint32(accountId), new Uint256(amount)));
    }

    /** Burns every share of {@code token} the desk holds and lowers the custodian's ledger by their worth. */
    public TransactionReceipt burnHeld(String token) throws ChainException {
        return chain.execute(address, Abi.call("burnHeld", new Address(token)));
    }

    /**
     * Schedules {@code newMultiplier} (18 decimals) on {@code token} from {@code activationTime} (epoch seconds, now
     * or later) on, and the custodian's ledger's change by {@code numerator / denominator} from the same time. Reverts
     * with {@code InconsistentRatio} unless {@code newMultiplier × denominator} is the current multiplier × {@code
     * numerator}.
     */
    public TransactionReceipt scheduleCorporateAction(String token, BigInteger newMultiplier, long activationTime,
                                                      BigInteger numerator, BigInteger denominator) throws ChainException {
        return chain.execute(address, Abi.call("scheduleCorporateAction", new Address(token), new Uint256(newMultiplier),
            new Uint64(activationTime), new Uint256(numerator), new Uint256(denominator)));
    }

    // ---- reads

    /** The vault the desk issues into. */
    public String vault() throws ChainException {
        return Abi.decodeAddress(chain.call(address, Abi.call("vault")));
    }

    /** Whether {@code requestId} has been issued. */
    public boolean issued(long requestId) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("issued", new Uint64(requestId)))).signum() != 0;
    }

    /** The custodian's shares of {@code token} at the latest block, in token units. */
    public BigInteger heldShares(String token) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("heldShares", new Address(token))));
    }

    /** The token's supply and the custodian's shares at the latest block, read in one call. */
    public Reserves reserves(String token) throws ChainException {
        List<Object> values = Abi.decode(chain.call(address, Abi.call("reserves", new Address(token))),
            List.of(new TypeReference<Uint256>() {
            }, new TypeReference<Uint256>() {
            }));
        return new Reserves((BigInteger) values.get(0), (BigInteger) values.get(1));
    }

    /** Whether {@code account} holds {@code role} (such as {@link #ISSUER_ROLE}) on the desk. */
    public boolean hasRole(String role, String account) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("hasRole", role(role), new Address(account)))).signum() != 0;
    }

    // ---- events

    /** The desk's {@code Issued} events in {@code receipt}, in order. */
    public List<IssuedEvent> issuedIn(TransactionReceipt receipt) {
        return logsOf(receipt, ISSUED_TOPIC).stream().map(IssuerDesk::decodeIssued).toList();
    }

    /** The desk's {@code Burned} events in {@code receipt}, in order. */
    public List<BurnedEvent> burnedIn(TransactionReceipt receipt) {
        return logsOf(receipt, BURNED_TOPIC).stream().map(IssuerDesk::decodeBurned).toList();
    }

    private List<Log> logsOf(TransactionReceipt receipt, String topic) {
        return receipt.getLogs().stream()
            .filter(log -> log.getAddress().equalsIgnoreCase(address) && topic.equals(log.getTopics().getFirst()))
            .toList();
    }

    private static IssuedEvent decodeIssued(Log log) {
        List<String> topics = log.getTopics();
        List<Object> data = Abi.decode(log.getData(), List.of(new TypeReference<Uint256>() {
        }, new TypeReference<Uint256>() {
        }));
        return new IssuedEvent(Abi.topicUint(topics.get(1)).longValueExact(), Abi.topicAddress(topics.get(2)),
            Abi.topicUint(topics.get(3)).longValueExact(), (BigInteger) data.get(0), (BigInteger) data.get(1));
    }

    private static BurnedEvent decodeBurned(Log log) {
        List<Object> data = Abi.decode(log.getData(), List.of(new TypeReference<Uint256>() {
        }, new TypeReference<Uint256>() {
        }));
        return new BurnedEvent(Abi.topicAddress(log.getTopics().get(1)), (BigInteger) data.get(0),
            (BigInteger) data.get(1));
    }

    private static Bytes32 role(String role) {
        return new Bytes32(Numeric.hexStringToByteArray(role));
    }
}
