package io.xex.settlement.chain;

import java.math.BigInteger;

/**
 * For tests: the venue's contracts on a test chain, deployed by {@code operator}: a test USDT (asset
 * {@value #USDT}), one xStock (asset {@value #TSLA}, operator as issuer) and a vault (operator as operator) with both
 * assets registered; and a wallet funded with both that has approved the vault.
 */
public record Deployment(TestUsdt usdt, XStockToken tsla, SettlementVault vault) {
    public static final int USDT = 0;
    public static final int TSLA = 1;

    public static Deployment deploy(ChainClient operator, long forcedWithdrawalDelaySeconds) throws ChainException {
        TestUsdt usdt = TestUsdt.deploy(operator);
        XStockToken tsla = XStockToken.deploy(operator, "Tesla xStock", "TSLAx");
        tsla.grantRole(XStockToken.ISSUER_ROLE, operator.address());
        SettlementVault vault = SettlementVault.deploy(operator, forcedWithdrawalDelaySeconds);
        vault.grantOperator(operator.address());
        vault.registerAsset(USDT, usdt.address(), SettlementVault.AssetKind.ERC20);
        vault.registerAsset(TSLA, tsla.address(), SettlementVault.AssetKind.SHARES);
        return new Deployment(usdt, tsla, vault);
    }

    /** Gives {@code wallet} these USDT units and xStock shares, approved for the vault. */
    public void fund(ChainClient wallet, BigInteger usdtUnits, BigInteger tslaShares) throws ChainException {
        usdt.mint(wallet.address(), usdtUnits);
        tsla.mintShares(wallet.address(), tslaShares);
        Erc20Token.at(wallet, usdt.address()).approve(vault.address(), usdtUnits);
        Erc20Token.at(wallet, tsla.address()).approve(vault.address(), tslaShares);
    }

    /** Closes each of {@code closeables} that is not null, all of them even if one fails. */
    public static void closeAll(AutoCloseable... closeables) {
        IllegalStateException failure = null;
        for (AutoCloseable closeable : closeables) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                failure = failure != null ? failure : new IllegalStateException("cannot close " + closeable, e);
            }
        }
        if (failure != null) {
            throw failure;
        }
    }
}
