package io.xex.settlement.chain;

import io.xex.settlement.chain.IssuerDesk.BurnedEvent;
import io.xex.settlement.chain.IssuerDesk.IssuedEvent;
import io.xex.settlement.chain.IssuerDesk.Reserves;
import io.xex.settlement.chain.LegCodec.Withdrawal;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

import java.math.BigInteger;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.xex.settlement.chain.SettlementVaultIT.assertReverts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The issuer's desk on a real anvil chain, deployed with the venue's contracts ({@link VenueContracts}): issues into
 * the vault once per request, burns what the vault paid out to it, schedules corporate actions on the token and the
 * custodian's ledger together, and keeps the token's supply equal to the custodian's shares through all of it.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class IssuerDeskIT {
    static final BigInteger ONE = XStockToken.ONE;
    static final int TSLA = Deployment.TSLA;
    static final int USDT = Deployment.USDT;
    /** The issuer's own venue account, whose withdrawal address is the desk. */
    static final long ISSUER_ACCOUNT = 5;
    static final long ALICE = 1;

    static Anvil anvil;
    /** The vault's operator, the tokens' admin and the desk's admin and issuer. */
    static ChainClient operator;
    static ChainClient stranger;

    XStockToken tsla;
    SettlementVault vault;
    IssuerDesk desk;
    long nextBatchId;

    @BeforeAll
    static void startChain() throws Exception {
        anvil = Anvil.start();
        operator = anvil.client(0);
        stranger = anvil.client(1);
    }

    @AfterAll
    static void stopChain() {
        Deployment.closeAll(operator, stranger, anvil);
    }

    @BeforeEach
    void deploy() throws Exception {
        Deployment deployment = Deployment.deploy(operator, 3_600);
        tsla = deployment.tsla();
        vault = deployment.vault();
        desk = deployment.contracts().desk();
        vault.setWithdrawalAddress(ISSUER_ACCOUNT, desk.address());
        nextBatchId = 1;
    }

    @Test
    void theVenueDeploysTheDeskAsTheXStocksIssuerOnItsVault() throws Exception {
        assertEquals(vault.address(), desk.vault());
        assertTrue(tsla.hasRole(XStockToken.ISSUER_ROLE, desk.address()));
        assertTrue(desk.hasRole(IssuerDesk.ISSUER_ROLE, operator.address()));
        assertFalse(desk.hasRole(IssuerDesk.ISSUER_ROLE, stranger.address()));
        assertEquals(new Reserves(BigInteger.ZERO, BigInteger.ZERO), desk.reserves(tsla.address()));
    }

    @Test
    void issueDepositsTheMintedSharesForTheAccountAndTheReservesStayEqual() throws Exception {
        TransactionReceipt receipt = desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(100));

        assertEquals(List.of(new IssuedEvent(1, tsla.address(), ISSUER_ACCOUNT, tokens(100), tokens(100))),
            desk.issuedIn(receipt));
        assertEquals(tokens(100), vault.balanceOf(ISSUER_ACCOUNT, TSLA));
        assertEquals(tokens(100), tsla.sharesOf(vault.address()));
        assertEquals(BigInteger.ZERO, tsla.sharesOf(desk.address()));
        assertEquals(tokens(100), tsla.totalSupply());
        assertEquals(tokens(100), desk.heldShares(tsla.address()));
        assertEquals(new Reserves(tokens(100), tokens(100)), desk.reserves(tsla.address()));
        assertTrue(desk.reserves(tsla.address()).equal());
        assertTrue(desk.issued(1));
        assertFalse(desk.issued(2));

        SettlementVault.DepositEvent deposit = SettlementVault.decodeDeposit(
            vault.logsOf(receipt, SettlementVault.DEPOSIT_TOPIC).getFirst());
        assertEquals(List.of(ISSUER_ACCOUNT, TSLA, tokens(100), desk.address()),
            List.of(deposit.accountId(), deposit.assetId(), deposit.amount(), deposit.depositor()));

        desk.issue(2, tsla.address(), TSLA, ALICE, tokens(3));
        assertEquals(tokens(3), vault.balanceOf(ALICE, TSLA));
        assertEquals(new Reserves(tokens(103), tokens(103)), desk.reserves(tsla.address()));
    }

    @Test
    void aRequestIsIssuedOnceAndABadOneNotAtAll() throws Exception {
        desk.issue(7, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(10));
        assertReverts("AlreadyIssued", () -> desk.issue(7, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(10)));
        assertReverts("AlreadyIssued", () -> desk.issue(7, tsla.address(), TSLA, ALICE, tokens(1)));
        assertReverts("ZeroAmount", () -> desk.issue(8, tsla.address(), TSLA, ISSUER_ACCOUNT, BigInteger.ZERO));
        assertReverts("NotAnXStockOfTheVault", () -> desk.issue(8, tsla.address(), USDT, ISSUER_ACCOUNT, tokens(1)));
        assertReverts("NotAnXStockOfTheVault", () -> desk.issue(8, tsla.address(), 9, ISSUER_ACCOUNT, tokens(1)));

        assertEquals(tokens(10), vault.balanceOf(ISSUER_ACCOUNT, TSLA));
        assertEquals(BigInteger.ZERO, vault.balanceOf(ALICE, TSLA));
        assertEquals(new Reserves(tokens(10), tokens(10)), desk.reserves(tsla.address()));
        assertFalse(desk.issued(8));
    }

    @Test
    void onlyTheIssuerIssuesBurnsAndSchedulesAndOnlyTheAdminGrants() throws Exception {
        IssuerDesk asStranger = IssuerDesk.at(stranger, desk.address());
        long activation = now() + 1_000;
        assertReverts("Unauthorized", () -> asStranger.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(1)));
        assertReverts("Unauthorized", () -> asStranger.burnHeld(tsla.address()));
        assertReverts("Unauthorized", () -> asStranger.scheduleCorporateAction(tsla.address(), ONE.shiftLeft(1),
            activation, BigInteger.TWO, BigInteger.ONE));
        assertReverts("Unauthorized", () -> asStranger.grantRole(IssuerDesk.ISSUER_ROLE, stranger.address()));
        assertFalse(desk.issued(1));

        desk.revokeRole(IssuerDesk.ISSUER_ROLE, operator.address());
        assertReverts("Unauthorized", () -> desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(1)));
        desk.grantRole(IssuerDesk.ISSUER_ROLE, operator.address());
        desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(1));

        // Without the token's issuer role the desk can do nothing with it.
        tsla.revokeRole(XStockToken.ISSUER_ROLE, desk.address());
        assertReverts("Unauthorized", () -> desk.issue(2, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(1)));
        assertEquals(new Reserves(tokens(1), tokens(1)), desk.reserves(tsla.address()));
    }

    @Test
    void burnHeldBurnsWhatTheVaultPaidToTheDeskAndTheReservesStayEqual() throws Exception {
        desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(100));
        payToDesk(tokens(40));
        assertEquals(tokens(40), tsla.sharesOf(desk.address()));
        assertEquals(new Reserves(tokens(100), tokens(100)), desk.reserves(tsla.address()));

        TransactionReceipt receipt = desk.burnHeld(tsla.address());
        assertEquals(List.of(new BurnedEvent(tsla.address(), tokens(40), tokens(40))), desk.burnedIn(receipt));
        assertEquals(BigInteger.ZERO, tsla.sharesOf(desk.address()));
        assertEquals(tokens(60), vault.balanceOf(ISSUER_ACCOUNT, TSLA));
        assertEquals(new Reserves(tokens(60), tokens(60)), desk.reserves(tsla.address()));

        // Nothing held: nothing burnt, nothing emitted.
        assertEquals(List.of(), desk.burnedIn(desk.burnHeld(tsla.address())));
        assertEquals(new Reserves(tokens(60), tokens(60)), desk.reserves(tsla.address()));
    }

    @Test
    void aTwoForOneSplitDoublesTheCustodiansSharesAtActivation() throws Exception {
        desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(100).add(BigInteger.ONE));
        long activation = now() + 1_000;
        desk.scheduleCorporateAction(tsla.address(), ONE.shiftLeft(1), activation, BigInteger.TWO, BigInteger.ONE);
        assertEquals(ONE, tsla.multiplier());
        assertEquals(new Reserves(tokens(100).add(BigInteger.ONE), tokens(100).add(BigInteger.ONE)),
            desk.reserves(tsla.address()));

        passActivation(activation);
        assertEquals(ONE.shiftLeft(1), tsla.multiplier());
        BigInteger doubled = tokens(200).add(BigInteger.TWO);
        assertEquals(new Reserves(doubled, doubled), desk.reserves(tsla.address()));
        assertEquals(tokens(100).add(BigInteger.ONE), vault.balanceOf(ISSUER_ACCOUNT, TSLA)); // shares do not move

        // At multiplier 2 an even amount is a whole number of shares.
        TransactionReceipt receipt = desk.issue(2, tsla.address(), TSLA, ALICE, tokens(10));
        assertEquals(tokens(5), desk.issuedIn(receipt).getFirst().shares());
        assertEquals(new Reserves(doubled.add(tokens(10)), doubled.add(tokens(10))), desk.reserves(tsla.address()));
        payToDesk(tokens(30));
        desk.burnHeld(tsla.address());
        assertEquals(new Reserves(doubled.subtract(tokens(50)), doubled.subtract(tokens(50))),
            desk.reserves(tsla.address()));
        assertTrue(desk.reserves(tsla.address()).equal());
    }

    @Test
    void aOneForTenReverseSplitRoundsTheSupplyAndTheLedgerAlike() throws Exception {
        BigInteger amount = tokens(5).add(BigInteger.valueOf(7)); // not a multiple of 10 wei
        desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, amount);
        long activation = now() + 1_000;
        desk.scheduleCorporateAction(tsla.address(), ONE.divide(BigInteger.TEN), activation, BigInteger.ONE,
            BigInteger.TEN);
        passActivation(activation);

        BigInteger tenth = amount.divide(BigInteger.TEN);
        assertEquals(new Reserves(tenth, tenth), desk.reserves(tsla.address()));
        desk.issue(2, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(1));
        assertEquals(new Reserves(tenth.add(tokens(1)), tenth.add(tokens(1))), desk.reserves(tsla.address()));
        payToDesk(tokens(10)); // worth 1 token
        desk.burnHeld(tsla.address());
        assertEquals(new Reserves(tenth, tenth), desk.reserves(tsla.address()));
    }

    @Test
    void aDividendReinvestedAtOnePointTwoThreePercentGrowsTheCustodiansSharesAlike() throws Exception {
        BigInteger amount = new BigInteger("123456789123456789"); // not a multiple of 10,000 wei
        desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, amount);
        long activation = now() + 1_000;
        BigInteger multiplier = ONE.multiply(BigInteger.valueOf(10_123)).divide(BigInteger.valueOf(10_000));
        desk.scheduleCorporateAction(tsla.address(), multiplier, activation, BigInteger.valueOf(10_123),
            BigInteger.valueOf(10_000));
        assertEquals(new Reserves(amount, amount), desk.reserves(tsla.address()));

        passActivation(activation);
        BigInteger grown = amount.multiply(BigInteger.valueOf(10_123)).divide(BigInteger.valueOf(10_000));
        assertEquals(new Reserves(grown, grown), desk.reserves(tsla.address()));

        // A multiple of 10,123 wei is a whole number of shares at 1.0123; so is any multiple of 10,000 shares.
        BigInteger issued = BigInteger.valueOf(10_123).multiply(BigInteger.TEN.pow(14));
        desk.issue(2, tsla.address(), TSLA, ISSUER_ACCOUNT, issued);
        assertEquals(new Reserves(grown.add(issued), grown.add(issued)), desk.reserves(tsla.address()));
        BigInteger paid = BigInteger.valueOf(10_000).multiply(BigInteger.TEN.pow(12));
        payToDesk(paid);
        TransactionReceipt receipt = desk.burnHeld(tsla.address());
        BigInteger burnt = BigInteger.valueOf(10_123).multiply(BigInteger.TEN.pow(12));
        assertEquals(List.of(new BurnedEvent(tsla.address(), paid, burnt)), desk.burnedIn(receipt));
        BigInteger left = grown.add(issued).subtract(burnt);
        assertEquals(new Reserves(left, left), desk.reserves(tsla.address()));
    }

    @Test
    void aPendingCorporateActionIsReplacedOnTheTokenAndTheLedgerTogether() throws Exception {
        desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, tokens(10));
        long first = now() + 1_000;
        desk.scheduleCorporateAction(tsla.address(), ONE.shiftLeft(1), first, BigInteger.TWO, BigInteger.ONE);
        long second = now() + 2_000;
        BigInteger three = BigInteger.valueOf(3);
        desk.scheduleCorporateAction(tsla.address(), ONE.multiply(three), second, three, BigInteger.ONE);

        passActivation(first);
        assertEquals(new Reserves(tokens(10), tokens(10)), desk.reserves(tsla.address()));
        passActivation(second);
        assertEquals(new Reserves(tokens(30), tokens(30)), desk.reserves(tsla.address()));

        // The next action is relative to the multiplier now in effect: 3, so a further 2:1 split is 6.
        long third = now() + 1_000;
        assertReverts("InconsistentRatio", () -> desk.scheduleCorporateAction(tsla.address(), ONE.shiftLeft(1), third,
            BigInteger.TWO, BigInteger.ONE));
        desk.scheduleCorporateAction(tsla.address(), ONE.multiply(BigInteger.valueOf(6)), third, BigInteger.TWO,
            BigInteger.ONE);
        passActivation(third);
        assertEquals(new Reserves(tokens(60), tokens(60)), desk.reserves(tsla.address()));
    }

    @Test
    void aRatioThatIsNotTheMultipliersReverts() throws Exception {
        long activation = now() + 1_000;
        String token = tsla.address();
        assertReverts("InconsistentRatio", () -> desk.scheduleCorporateAction(token, ONE.shiftLeft(1), activation,
            BigInteger.valueOf(3), BigInteger.ONE));
        assertReverts("InconsistentRatio", () -> desk.scheduleCorporateAction(token, ONE, activation,
            BigInteger.valueOf(10_123), BigInteger.valueOf(10_000)));
        assertReverts("InvalidRatio", () -> desk.scheduleCorporateAction(token, ONE.shiftLeft(1), activation,
            BigInteger.ZERO, BigInteger.ONE));
        assertReverts("InvalidRatio", () -> desk.scheduleCorporateAction(token, ONE.shiftLeft(1), activation,
            BigInteger.TWO, BigInteger.ZERO));
        assertReverts("InvalidRatio", () -> desk.scheduleCorporateAction(token, ONE.shiftLeft(1), activation,
            BigInteger.ONE.shiftLeft(129), BigInteger.ONE.shiftLeft(128)));
        assertReverts("ActivationInThePast", () -> desk.scheduleCorporateAction(token, ONE.shiftLeft(1),
            activation - 2_000, BigInteger.TWO, BigInteger.ONE));
        assertEquals(ONE, tsla.scheduledMultiplier());
    }

    @Test
    void aMintAtAMultiplierThatIsNotOneLeavesTheCustodianAFewWeiAhead() throws Exception {
        BigInteger three = BigInteger.valueOf(3);
        long activation = now() + 10;
        desk.scheduleCorporateAction(tsla.address(), ONE.multiply(three).shiftRight(1), activation, three,
            BigInteger.TWO);
        passActivation(activation);
        // 10 wei at 1.5 is floor(10 / 1.5) = 6 shares, worth 9 wei: the ledger counts the 10 the custodian holds.
        TransactionReceipt receipt = desk.issue(1, tsla.address(), TSLA, ISSUER_ACCOUNT, BigInteger.TEN);
        assertEquals(BigInteger.valueOf(6), desk.issuedIn(receipt).getFirst().shares());
        assertEquals(new Reserves(BigInteger.valueOf(9), BigInteger.TEN), desk.reserves(tsla.address()));
        assertFalse(desk.reserves(tsla.address()).equal());
    }

    /** Has the vault pay {@code shares} of the issuer's account to its withdrawal address, the desk. */
    void payToDesk(BigInteger shares) throws ChainException {
        vault.settle(nextBatchId++, new byte[0],
            LegCodec.encodeWithdrawals(List.of(new Withdrawal(ISSUER_ACCOUNT, TSLA, shares))));
    }

    /** Moves the chain's clock to {@code activation} or just past it and mines a block there. */
    static void passActivation(long activation) throws Exception {
        long now = now();
        if (activation > now) {
            anvil.increaseTime(activation - now);
        }
        anvil.mine();
        assertTrue(now() >= activation);
    }

    static BigInteger tokens(long whole) {
        return BigInteger.valueOf(whole).multiply(ONE);
    }

    static long now() throws Exception {
        return operator.web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
            .getTimestamp().longValueExact();
    }
}
