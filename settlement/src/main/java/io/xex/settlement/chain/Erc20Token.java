package io.xex.settlement.chain;

import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;

/**
 * An ERC-20 token at one address, seen through one {@link ChainClient}: balances, approvals, transfers.
 * <b>Every method blocks on the chain: call it on a worker thread, never on an event loop.</b>
 */
public class Erc20Token {
    public static final String TRANSFER_TOPIC = Abi.topic("Transfer(address,address,uint256)");

    protected final ChainClient chain;
    protected final String address;

    protected Erc20Token(ChainClient chain, String address) {
        this.chain = chain;
        this.address = address;
    }

    public static Erc20Token at(ChainClient chain, String address) {
        return new Erc20Token(chain, address);
    }

    public final String address() {
        return address;
    }

    public final BigInteger balanceOf(String holder) throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("balanceOf", new Address(holder))));
    }

    public final BigInteger totalSupply() throws ChainException {
        return Abi.decodeUint(chain.call(address, Abi.call("totalSupply")));
    }

    public final TransactionReceipt approve(String spender, BigInteger amount) throws ChainException {
        return chain.execute(address, Abi.call("approve", new Address(spender), new Uint256(amount)));
    }

    public final TransactionReceipt transfer(String to, BigInteger amount) throws ChainException {
        return chain.execute(address, transferData(to, amount));
    }

    /** The calldata of {@code transfer(to, amount)}. */
    public static String transferData(String to, BigInteger amount) {
        return Abi.call("transfer", new Address(to), new Uint256(amount));
    }
}
