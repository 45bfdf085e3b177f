package io.xex.settlement.chain;

import io.xex.settlement.chain.VenueContracts.Token;

import java.math.BigInteger;
import java.util.List;

/**
 * For tests: the venue's contracts ({@link VenueContracts}) on a test chain, deployed by {@code operator}: a test USDT
 * (asset {@value #USDT}), one xStock (asset {@value #TSLA}, operator and the issuer's desk as issuers) and a vault
 * (operator as operator) with both assets registered, and the desk ({@code contracts().desk()}, operator as its
 * issuer); and a wallet funded with both that has approved the vault.
 */
public record Deployment(TestUsdt usdt, XStockToken tsla, SettlementVault vault, VenueContracts contracts) {
    public static final int USDT = 0;
    public static final int TSLA = 1;

    public static Deployment deploy(ChainClient operator, long forcedWithdrawalDelaySeconds) throws ChainException {
        VenueContracts contracts = VenueContracts.deploy(operator, forcedWithdrawalDelaySeconds,
            List.of(Token.usdt(), Token.xStock("TSLAx", "Tesla xStock")));
        return new Deployment(TestUsdt.at(operator, contracts.tokenAddresses().get(USDT)),
            XStockToken.at(operator, contracts.tokenAddresses().get(TSLA)), contracts.vault(), contracts);
    }

    /** Gives {@code wallet} these USDT units and xStock shares, approved for the vault. */
    public void fund(ChainClient wallet, BigInteger usdtUnits, BigInteger tslaShares) throws ChainException {
        contracts.fund(wallet, USDT, usdtUnits);
        contracts.fund(wallet, TSLA, tslaShares);
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
