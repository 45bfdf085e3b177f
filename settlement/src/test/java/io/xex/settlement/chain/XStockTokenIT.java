package io.xex.settlement.chain;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.web3j.protocol.core.DefaultBlockParameterName;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.xex.settlement.chain.SettlementVaultIT.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The xStock token on a real anvil chain: shares and multiplier, its schedule, rounding, pause and roles. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class XStockTokenIT {
    static final BigInteger ONE = XStockToken.ONE;

    static Anvil anvil;
    /** Admin, issuer and pauser. */
    static ChainClient issuer;
    static ChainClient holder;
    static ChainClient other;

    XStockToken token;
    XStockToken asHolder;

    @BeforeAll
    static void startChain() throws Exception {
        anvil = Anvil.start();
        issuer = anvil.client(0);
        holder = anvil.client(1);
        other = anvil.client(2);
    }

    @AfterAll
    static void stopChain() {
        Deployment.closeAll(issuer, holder, other, anvil);
    }

    @BeforeEach
    void deploy() throws Exception {
        token = XStockToken.deploy(issuer, "Tesla xStock", "TSLAx");
        token.grantRole(XStockToken.ISSUER_ROLE, issuer.address());
        token.grantRole(XStockToken.PAUSER_ROLE, issuer.address());
        asHolder = XStockToken.at(holder, token.address());
    }

    @Test
    void balancesFollowTheMultiplierFromItsActivationOnWhileSharesStay() throws Exception {
        token.mint(holder.address(), tokens(10));
        assertEquals(ONE, token.multiplier());
        assertEquals(tokens(10), token.sharesOf(holder.address()));

        long activation = now() + 1_000;
        token.scheduleMultiplier(ONE.multiply(BigInteger.TWO), activation); // a 2-for-1 split
        assertEquals(ONE.multiply(BigInteger.TWO), token.scheduledMultiplier());
        assertEquals(activation, token.scheduledActivationTime());
        assertEquals(ONE, token.multiplier());
        assertEquals(tokens(10), token.balanceOf(holder.address()));

        anvil.increaseTime(activation - now() - 10);
        anvil.mine();
        assertEquals(tokens(10), token.balanceOf(holder.address()));

        anvil.increaseTime(10);
        anvil.mine();
        assertEquals(ONE.multiply(BigInteger.TWO), token.multiplier());
        assertEquals(tokens(20), token.balanceOf(holder.address()));
        assertEquals(tokens(20), token.totalSupply());
        assertEquals(tokens(10), token.sharesOf(holder.address()));
        assertEquals(tokens(10), token.totalShares());

        // Transfers now move half as many shares as tokens.
        asHolder.transfer(other.address(), tokens(4));
        assertEquals(tokens(2), token.sharesOf(other.address()));
        assertEquals(tokens(16), token.balanceOf(holder.address()));
    }

    @Test
    void aPendingChangeCanBeReplacedAndAnActiveOneBecomesThePrevious() throws Exception {
        long start = now();
        token.scheduleMultiplier(ONE.multiply(BigInteger.valueOf(3)), start + 100);
        token.scheduleMultiplier(ONE.multiply(BigInteger.valueOf(3)).divide(BigInteger.TWO), start + 200);
        anvil.increaseTime(150);
        anvil.mine();
        assertEquals(ONE, token.multiplier());
        anvil.increaseTime(60);
        anvil.mine();
        BigInteger oneAndHalf = ONE.multiply(BigInteger.valueOf(3)).divide(BigInteger.TWO);
        assertEquals(oneAndHalf, token.multiplier());

        token.scheduleMultiplier(ONE.multiply(BigInteger.valueOf(4)), now() + 500);
        assertEquals(oneAndHalf, token.multiplier());
    }

    @Test
    void multiplierChangesAreCheckedAndTheIssuers() throws Exception {
        long now = now();
        assertReverts("ActivationInThePast", () -> token.scheduleMultiplier(ONE, now - 10));
        assertReverts("InvalidMultiplier", () -> token.scheduleMultiplier(BigInteger.ZERO, now + 10));
        assertReverts("InvalidMultiplier", () -> token.scheduleMultiplier(ONE.multiply(ONE).add(BigInteger.ONE), now + 10));
        assertReverts("Unauthorized", () -> asHolder.scheduleMultiplier(ONE, now + 10));
    }

    @Test
    void roundingFavoursTheRecipientAndNeverTheMinter() throws Exception {
        token.scheduleMultiplier(ONE.multiply(BigInteger.valueOf(3)).divide(BigInteger.TWO), now()); // 1.5, at once
        token.mintShares(holder.address(), BigInteger.valueOf(7)); // worth 10.5: a balance of 10 wei
        assertEquals(BigInteger.TEN, token.balanceOf(holder.address()));
        assertEquals(BigInteger.valueOf(7), token.sharesForAmount(BigInteger.TEN));
        assertEquals(BigInteger.TEN, token.amountForShares(BigInteger.valueOf(7)));

        asHolder.transfer(other.address(), BigInteger.ONE); // moves ceil(1 / 1.5) = 1 share
        assertEquals(BigInteger.ONE, token.sharesOf(other.address()));
        assertEquals(BigInteger.ONE, token.balanceOf(other.address()));
        asHolder.transfer(other.address(), token.balanceOf(holder.address())); // the whole balance: 9 wei, 6 shares
        assertEquals(BigInteger.ZERO, token.sharesOf(holder.address()));
        assertEquals(BigInteger.valueOf(10), token.balanceOf(other.address()));

        token.mint(holder.address(), BigInteger.TEN); // floor(10 / 1.5) = 6 shares, worth 9
        assertEquals(BigInteger.valueOf(6), token.sharesOf(holder.address()));
        assertEquals(BigInteger.valueOf(9), token.balanceOf(holder.address()));
    }

    @Test
    void sharesMoveExactly() throws Exception {
        token.mintShares(holder.address(), tokens(3));
        asHolder.transferShares(other.address(), BigInteger.valueOf(12_345));
        assertEquals(BigInteger.valueOf(12_345), token.sharesOf(other.address()));
        assertEquals(tokens(3).subtract(BigInteger.valueOf(12_345)), token.sharesOf(holder.address()));
        assertReverts("InsufficientShares", () -> asHolder.transferShares(other.address(), tokens(3)));
    }

    @Test
    void pauseStopsTransfersMintsAndBurnsButNotApprovals() throws Exception {
        token.mint(holder.address(), tokens(5));
        token.mint(issuer.address(), tokens(5));
        assertReverts("Unauthorized", asHolder::pause);
        token.pause();
        assertTrue(token.paused());

        assertReverts("IsPaused", () -> asHolder.transfer(other.address(), tokens(1)));
        assertReverts("IsPaused", () -> asHolder.transferShares(other.address(), tokens(1)));
        assertReverts("IsPaused", () -> token.mint(holder.address(), tokens(1)));
        assertReverts("IsPaused", () -> token.burn(tokens(1)));
        asHolder.approve(other.address(), tokens(1));

        token.unpause();
        assertFalse(token.paused());
        asHolder.transfer(other.address(), tokens(1));
        assertEquals(tokens(1), token.balanceOf(other.address()));
    }

    @Test
    void onlyTheIssuerMintsAndBurnsAndOnlyTheAdminGrants() throws Exception {
        assertReverts("Unauthorized", () -> asHolder.mint(holder.address(), tokens(1)));
        assertReverts("Unauthorized", () -> asHolder.grantRole(XStockToken.ISSUER_ROLE, holder.address()));

        token.mint(issuer.address(), tokens(5));
        token.burn(tokens(2));
        token.burnShares(tokens(1));
        assertEquals(tokens(2), token.balanceOf(issuer.address()));
        assertEquals(tokens(2), token.totalSupply());
        assertReverts("InsufficientShares", () -> token.burn(tokens(3)));

        token.revokeRole(XStockToken.ISSUER_ROLE, issuer.address());
        assertReverts("Unauthorized", () -> token.mint(issuer.address(), tokens(1)));
        assertEquals(List.of(18), List.of(XStockToken.DECIMALS));
    }

    static BigInteger tokens(long whole) {
        return BigInteger.valueOf(whole).multiply(ONE);
    }

    static long now() throws Exception {
        return issuer.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock().getTimestamp()
            .longValueExact();
    }
}
