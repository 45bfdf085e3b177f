package io.xex.settlement.chain;

import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;

/**
 * The {@code TestUSDT} contract (6 decimals, minted by its deployer) for tests and the demo.
 * <b>Every method blocks on the chain: call it on a worker thread, never on an event loop.</b>
 */
public final class TestUsdt extends Erc20Token {
    public static final int DECIMALS = 6;

    private TestUsdt(ChainClient chain, String address) {
        super(chain, address);
    }

    public static TestUsdt at(ChainClient chain, String address) {
        return new TestUsdt(chain, address);
    }

    /** Deploys one; the client's key is its owner. */
    public static TestUsdt deploy(ChainClient chain) throws ChainException {
        return new TestUsdt(chain, chain.deploy(ContractArtefact.load(ContractArtefact.TEST_USDT).deployData("")));
    }

    /** Mints {@code amount} (base units: micro-USDT) to {@code to}; only the owner may. */
    public TransactionReceipt mint(String to, BigInteger amount) throws ChainException {
        return chain.execute(address, Abi.call("mint", new Address(to), new Uint256(amount)));
    }
}
