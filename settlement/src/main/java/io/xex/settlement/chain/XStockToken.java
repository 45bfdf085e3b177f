package io.xex.settlement.chain;

import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

import java.math.BigInteger;

/**
 * The {@code XStockToken} contract: an 18-decimal ERC-20 whose balances are shares times a multiplier (18-decimal
 * fixed point, 10^18 at the start) that the issuer changes for corporate actions with an activation time. See the
 * contract's comments for rounding and roles.
 * <b>Every method blocks on the chain: call it on a worker thread, never on an event loop.</b>
 */
public final class XStockToken extends Erc20Token {
    public static final int DECIMALS = 18;
    public static final BigInteger ONE = BigInteger.TEN.pow(18);
    public static final String ISSUER_ROLE = Abi.topic("ISSUER_ROLE");
    public static final String PAUSER_ROLE = Abi.topic("PAUSER_ROLE");
    public static final String TRANSFER_SHARES_TOPIC = Abi.topic("TransferShares(address,address,uint256)");

    private XStockToken(ChainClient chain, String address) {
        super(chain, address);
    }

    public static XStockToken at(ChainClient chain, String address) {
        return new XStockToken(chain, address);
    }

    /** Deploys one with the client's key as admin; grants it nothing. */
    public static XStockToken deploy(ChainClient chain, String name, String symbol) throws ChainException {
        String data = ContractArtefact.load(ContractArtefact.XSTOCK_TOKEN)
            .deployData(Abi.constructorArgs(new Utf8String(name), new Utf8String(symbol)));
        return new XStockToken(chain, chain.deploy(data));
    }

    // ---- roles

    public TransactionReceipt grantRole(String role, String account) throws ChainException {
        return chain.execute(address, Abi.call("grantRole", role(role), new Address(account)));
    }

    public TransactionReceipt revokeRole(String role, String account) throws ChainException {
        return chain.execute(address, Abi.call("revokeRole", role(role), new Address(account)));
    }

    // ---- issuer

    /** Mints floor(amount * 10^18 / multiplier) shares to {@code to}. */
    public TransactionReceipt mint(String to, BigInteger amount) throws ChainException {
        return chain.execute(address, Abi.call("mint", new Address(to), new Uint256(amount)));
    }

    public TransactionReceipt mintShares(String to, BigInteger shares) throws ChainException {
        return chain.execute(address, Abi.call("mintShares", new Address(to), new Uint256(shares)));
    }

    /** Burns ceil(amount * 10^18 / multiplier) shares from the issuer's own balance. */
    public TransactionReceipt burn(BigInteger amount) throws ChainException {
        return chain.execute(address, Abi.call("burn", new Uint256(amount)));
    }

    public TransactionReceipt burnShares(BigInteger shares) throws ChainException {
        return chain.execute(address, Abi.call("burnShares", new Uint256(shares)));
    }

    /** Schedules {@code multiplier} (18 decimals) from {@code activationTime} (epoch seconds, now or later) on. */
    public TransactionReceipt scheduleMultiplier(BigInteger multiplier, long activationTime) throws ChainException {
        return chain.execute(address, Abi.call("scheduleMultiplier", new Uint256(multiplier), new Uint256(activationTime)));
    }

    // ---- pauser

    public TransactionReceipt pause() throws ChainException {
        return chain.execute(address, Abi.call("pause"));
    }

    public TransactionReceipt unpause() throws ChainException {
        return chain.execute(address, Abi.call("unpause"));
    }

    // ---- holders

    public TransactionReceipt transferShares(String to, BigInteger shares) throws ChainException {
        return chain.execute(address, Abi.call("transferShares", new Address(to), new Uint256(shares)));
    }

    // ---- reads

    public BigInteger sharesOf(String holder) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("sharesOf", new Address(holder))));
    }

    public BigInteger totalShares() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("totalShares")));
    }

    /** The multiplier in effect at the latest block (18 decimals). */
    public BigInteger multiplier() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("multiplier")));
    }

    public BigInteger scheduledMultiplier() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("scheduledMultiplier")));
    }

    public long scheduledActivationTime() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("scheduledActivationTime"))).longValueExact();
    }

    /** Whether {@code account} holds {@code role} (such as {@link #ISSUER_ROLE}) on the token. */
    public boolean hasRole(String role, String account) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("hasRole", role(role), new Address(account)))).signum() != 0;
    }

    public boolean paused() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("paused"))).signum() != 0;
    }

    /** Shares that a transfer of {@code amount} moves at the current multiplier (rounded up). */
    public BigInteger sharesForAmount(BigInteger amount) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("sharesForAmount", new Uint256(amount))));
    }

    /** Tokens that {@code shares} are worth at the current multiplier (rounded down). */
    public BigInteger amountForShares(BigInteger shares) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("amountForShares", new Uint256(shares))));
    }

    private static Bytes32 role(String role) {
        return new Bytes32(Numeric.hexStringToByteArray(role));
    }
}
