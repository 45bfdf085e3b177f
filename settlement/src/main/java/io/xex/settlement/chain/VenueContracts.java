package io.xex.settlement.chain;

import io.xex.settlement.chain.SettlementVault.AssetKind;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The venue's contracts on a test chain or the demo's local chain, deployed by one operator key: a
 * {@link SettlementVault} (the operator holds its operator role) with one token registered per engine asset that
 * settles on the chain (every one with a single chain), the engine's asset index being the vault's asset id; a
 * {@link TestUsdt} for an {@link AssetKind#ERC20} asset and an {@link XStockToken} for a {@link AssetKind#SHARES} one;
 * and the {@link IssuerDesk} that issues into the vault, which holds the issuer role of every xStock while the
 * operator holds the desk's. {@link #deploy} deploys them, {@link #at} finds them again; {@link #fund} mints to a
 * wallet and approves the vault, ready for deposits.
 * <p>
 * The operator keeps the issuer role of each xStock too, for {@link #fund} alone: a faucet for tests and the demo that
 * mints outside the desk, so the custodian's ledger does not count what it mints ({@link IssuerDesk#reserves} shows the
 * difference). The desk is the only minter of a venue that funds no wallet this way.
 * <p>
 * <b>Every method blocks on the chain: call it on a worker thread, never on an event loop.</b>
 */
public final class VenueContracts {
    /** One asset's token: its symbol, the token's name (an xStock's; TestUSDT has its own) and how the vault counts it. */
    public record Token(String symbol, String name, AssetKind kind) {
        public static Token usdt() {
            return new Token("USDT", "Tether USD (test)", AssetKind.ERC20);
        }

        public static Token xStock(String symbol, String name) {
            return new Token(symbol, name, AssetKind.SHARES);
        }
    }

    private final ChainClient operator;
    private final SettlementVault vault;
    private final IssuerDesk desk;
    private final List<Token> tokens;
    private final List<String> addresses;
    /** The vault's asset id of each token, in the order of {@link #tokens}. */
    private final List<Integer> assetIds;

    private VenueContracts(ChainClient operator, SettlementVault vault, IssuerDesk desk, List<Token> tokens,
                           List<String> addresses, List<Integer> assetIds) {
        this.operator = operator;
        this.vault = vault;
        this.desk = desk;
        this.tokens = List.copyOf(tokens);
        this.addresses = List.copyOf(addresses);
        this.assetIds = List.copyOf(assetIds);
    }

    /**
     * Deploys a token for each of {@code tokens} (asset id = its index) and a vault with a forced withdrawal delay of
     * {@code forcedWithdrawalDelaySeconds}, registers every token with the vault, and deploys the issuer's desk on the
     * vault with the issuer role of every xStock.
     */
    public static VenueContracts deploy(ChainClient operator, long forcedWithdrawalDelaySeconds, List<Token> tokens)
        throws ChainException {
        return deploy(operator, forcedWithdrawalDelaySeconds, tokens,
            IntStream.range(0, tokens.size()).boxed().toList());
    }

    /**
     * Like {@link #deploy(ChainClient, long, List)}, registering each of {@code tokens} under the asset id at the same
     * place of {@code assetIds}: the engine's ids of the assets that settle on this chain, when there are several.
     */
    public static VenueContracts deploy(ChainClient operator, long forcedWithdrawalDelaySeconds, List<Token> tokens,
                                        List<Integer> assetIds) throws ChainException {
        if (tokens.size() != assetIds.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + assetIds.size() + " asset ids");
        }
        List<String> addresses = new ArrayList<>(tokens.size());
        for (Token token : tokens) {
            if (token.kind() == AssetKind.ERC20) {
                addresses.add(TestUsdt.deploy(operator).address());
            } else {
                XStockToken xStock = XStockToken.deploy(operator, token.name(), token.symbol());
                xStock.grantRole(XStockToken.ISSUER_ROLE, operator.address());
                addresses.add(xStock.address());
            }
        }
        SettlementVault vault = SettlementVault.deploy(operator, forcedWithdrawalDelaySeconds);
        vault.grantOperator(operator.address());
        for (int i = 0; i < tokens.size(); i++) {
            vault.registerAsset(assetIds.get(i), addresses.get(i), tokens.get(i).kind());
        }
        IssuerDesk desk = IssuerDesk.deploy(operator, vault.address());
        desk.grantRole(IssuerDesk.ISSUER_ROLE, operator.address());
        for (int i = 0; i < tokens.size(); i++) {
            if (tokens.get(i).kind() == AssetKind.SHARES) {
                XStockToken.at(operator, addresses.get(i)).grantRole(XStockToken.ISSUER_ROLE, desk.address());
            }
        }
        return new VenueContracts(operator, vault, desk, tokens, addresses, assetIds);
    }

    /**
     * The contracts deployed earlier at {@code vault}, {@code desk} and {@code addresses} (one per token, in asset
     * order).
     */
    public static VenueContracts at(ChainClient operator, String vault, String desk, List<Token> tokens,
                                    List<String> addresses) {
        if (tokens.size() != addresses.size()) {
            throw new IllegalArgumentException(tokens.size() + " tokens but " + addresses.size() + " addresses");
        }
        return new VenueContracts(operator, SettlementVault.at(operator, vault), IssuerDesk.at(operator, desk), tokens,
            addresses, IntStream.range(0, tokens.size()).boxed().toList());
    }

    /** The vault, seen through the operator's key. */
    public SettlementVault vault() {
        return vault;
    }

    /** The issuer's desk, seen through the operator's key (which holds its issuer role). */
    public IssuerDesk desk() {
        return desk;
    }

    /** One token per asset, in asset order. */
    public List<Token> tokens() {
        return tokens;
    }

    /** Each token's address, in the order of {@link #tokens} (asset order). */
    public List<String> tokenAddresses() {
        return addresses;
    }

    /**
     * Mints {@code amount} of asset {@code assetId} to {@code wallet} (base units: micro-USDT, or xStock shares) and
     * approves the vault to take them, so that the wallet can deposit them.
     */
    public void fund(ChainClient wallet, int assetId, BigInteger amount) throws ChainException {
        int index = assetIds.indexOf(assetId);
        if (index < 0) {
            throw new IllegalArgumentException("asset " + assetId + " is not registered with this vault");
        }
        String token = addresses.get(index);
        if (tokens.get(index).kind() == AssetKind.ERC20) {
            TestUsdt.at(operator, token).mint(wallet.address(), amount);
        } else {
            XStockToken.at(operator, token).mintShares(wallet.address(), amount);
        }
        Erc20Token.at(wallet, token).approve(vault.address(), amount);
    }
}
