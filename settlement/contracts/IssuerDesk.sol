// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {Roles} from "./Roles.sol";
import {SettlementVault} from "./SettlementVault.sol";
import {XStockToken} from "./XStockToken.sol";

/// @title IssuerDesk: the issuer's primary market on chain, with the custodian's share ledger
/// @notice The desk holds ISSUER_ROLE on each XStockToken and is the venue's only minter. It keeps, per token, the
/// underlying shares the custodian holds (18 decimals, in token units: one token is one underlying share), and moves
/// that ledger in the same transaction as every mint and burn, so that `token.totalSupply() == heldShares(token)`:
/// - `issue` mints tokens to the desk and deposits them into the settlement vault for a venue account (the issuer's
///   own, from which the venue hands them to the client), exactly once per request id; the ledger grows by the amount.
/// - `burnHeld` burns every share the desk holds of a token: they arrive when the vault pays a withdrawal of the
///   issuer's venue account, whose whitelisted withdrawal address is the desk. The ledger shrinks by what they were
///   worth.
/// - `scheduleCorporateAction` schedules the token's new multiplier and the same change of the ledger from the same
///   activation time: a 2:1 split doubles the custodian's shares, a dividend reinvested at 1.23% (10123/10000) grows
///   them by 1.23%. Like the token, the desk writes nothing at activation: the views apply a pending ratio once
///   `block.timestamp` reaches its activation time, and every write folds a past-due ratio into the ledger first.
///
/// Rounding. The token rounds `totalSupply = totalShares * multiplier / 1e18` down and the ledger rounds
/// `held * numerator / denominator` down. While every mint happened at multiplier 1e18, totalShares equals the
/// ledger, and after one corporate action both are the same floor of the same product: equal to the wei for a 2:1
/// split, a 1:10 reverse split or 10123/10000. At any other multiplier m:
/// - `issue(amount)` creates floor(amount * 1e18 / m) shares, which can add up to ceil(m / 1e18) wei less than
///   `amount` to the supply, while the ledger grows by `amount`;
/// - `burnHeld` lowers the ledger by floor(shares * m / 1e18) while the supply, a floor of the total, can fall by
///   one wei more;
/// so each of these can leave the ledger a few wei above the supply, never below: the custodian holds at least what
/// the tokens are worth. Amounts that are whole numbers of shares at m (an even amount at 2e18, a multiple of 10123
/// wei at 1.0123e18) leave no difference. After a second corporate action the ledger is a floor of a floor and the
/// supply one floor of the combined multiplier, so with ratio r the ledger can fall below the supply by up to
/// ceil(r) wei (2 wei for a 2:1 split after a dividend). `burnHeld` never takes the ledger below zero. The desk must
/// be the only one that schedules multipliers on its tokens.
///
/// Roles: the admin grants and revokes ISSUER_ROLE, held by the issuer operator's key; it issues, burns and
/// schedules corporate actions.
contract IssuerDesk is Roles {
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");

    /// @notice The settlement vault that `issue` deposits into.
    address public immutable vault;

    /// @dev The custodian's shares of one token and the change of them a corporate action scheduled.
    struct Ledger {
        /// The custodian's shares before `numerator / denominator` applies.
        uint256 held;
        /// The pending ratio, none while 0; both below 2^128.
        uint128 numerator;
        uint128 denominator;
        /// From this timestamp on the pending ratio applies.
        uint64 activationTime;
    }

    mapping(address token => Ledger) private ledgers;
    /// @notice Whether `issue` has run for a request id.
    mapping(uint64 requestId => bool) public issued;

    event Issued(
        uint64 indexed requestId, address indexed token, uint32 indexed accountId, uint256 amount, uint256 shares
    );
    event Burned(address indexed token, uint256 shares, uint256 amount);
    event CorporateActionScheduled(
        address indexed token, uint256 newMultiplier, uint64 activationTime, uint256 numerator, uint256 denominator
    );

    error AlreadyIssued(uint64 requestId);
    error ZeroAmount();
    error NotAnXStockOfTheVault(uint16 assetId, address token);
    error InvalidRatio(uint256 numerator, uint256 denominator);
    error InconsistentRatio(uint256 multiplierBefore, uint256 newMultiplier, uint256 numerator, uint256 denominator);

    constructor(address vault_) {
        if (vault_ == address(0)) revert ZeroAddress();
        vault = vault_;
    }

    // ---- views

    /// @notice The underlying shares the custodian holds for `token` at this block's timestamp (token units).
    function heldShares(address token) public view returns (uint256) {
        Ledger storage ledger = ledgers[token];
        uint256 held = ledger.held;
        if (ledger.numerator != 0 && block.timestamp >= ledger.activationTime) {
            held = held * ledger.numerator / ledger.denominator;
        }
        return held;
    }

    /// @notice The token's supply and the custodian's shares: equal while the reserves are whole (see Rounding).
    function reserves(address token) external view returns (uint256 supply, uint256 held) {
        return (XStockToken(token).totalSupply(), heldShares(token));
    }

    /// @notice The change of the custodian's shares scheduled for `token` and not yet folded into the ledger
    /// (numerator 0: none); it applies from `activationTime` on.
    function pendingRatio(address token)
        external
        view
        returns (uint256 numerator, uint256 denominator, uint64 activationTime)
    {
        Ledger storage ledger = ledgers[token];
        return (ledger.numerator, ledger.denominator, ledger.activationTime);
    }

    // ---- issuer

    /// @notice Mints `amount` of `token` (registered with the vault as SHARES asset `assetId`) and deposits the
    /// minted shares into the vault for `accountId`; the custodian's ledger grows by `amount`. Once per request id.
    function issue(uint64 requestId, address token, uint16 assetId, uint32 accountId, uint256 amount)
        external
        onlyRole(ISSUER_ROLE)
    {
        if (issued[requestId]) revert AlreadyIssued(requestId);
        if (amount == 0) revert ZeroAmount();
        (address registered, SettlementVault.AssetKind kind) = SettlementVault(vault).assets(assetId);
        if (registered != token || kind != SettlementVault.AssetKind.SHARES) revert NotAnXStockOfTheVault(assetId, token);
        issued[requestId] = true;
        Ledger storage ledger = _fold(token);
        ledger.held += amount;

        XStockToken xStock = XStockToken(token);
        uint256 before = xStock.sharesOf(address(this));
        xStock.mint(address(this), amount);
        uint256 shares = xStock.sharesOf(address(this)) - before;
        if (xStock.allowance(address(this), vault) != type(uint256).max) {
            xStock.approve(vault, type(uint256).max);
        }
        SettlementVault(vault).deposit(accountId, assetId, shares);
        emit Issued(requestId, token, accountId, amount, shares);
    }

    /// @notice Burns every share of `token` the desk holds; the custodian's ledger shrinks by the tokens they were
    /// worth (`amountForShares`), to zero at most. Nothing happens, and nothing is emitted, when the desk holds none.
    function burnHeld(address token) external onlyRole(ISSUER_ROLE) {
        Ledger storage ledger = _fold(token);
        XStockToken xStock = XStockToken(token);
        uint256 shares = xStock.sharesOf(address(this));
        if (shares == 0) {
            return;
        }
        uint256 amount = xStock.amountForShares(shares);
        xStock.burnShares(shares);
        uint256 held = ledger.held;
        ledger.held = held > amount ? held - amount : 0;
        emit Burned(token, shares, amount);
    }

    /// @notice Schedules `newMultiplier` on `token` from `activationTime` on (the token checks both) and the ledger's
    /// change by `numerator / denominator` from the same time. The ratio must be the token's: `newMultiplier *
    /// denominator == multiplier() * numerator`, the multiplier in effect now being the one before activation. A
    /// change scheduled earlier and not yet active is replaced, on the token and here.
    function scheduleCorporateAction(
        address token,
        uint256 newMultiplier,
        uint64 activationTime,
        uint256 numerator,
        uint256 denominator
    ) external onlyRole(ISSUER_ROLE) {
        if (numerator == 0 || denominator == 0 || numerator > type(uint128).max || denominator > type(uint128).max) {
            revert InvalidRatio(numerator, denominator);
        }
        XStockToken xStock = XStockToken(token);
        uint256 before = xStock.multiplier();
        // Both products are below 2^248: the token's multipliers are at most 1e36 < 2^120.
        if (newMultiplier * denominator != before * numerator) {
            revert InconsistentRatio(before, newMultiplier, numerator, denominator);
        }
        Ledger storage ledger = _fold(token);
        xStock.scheduleMultiplier(newMultiplier, activationTime);
        ledger.numerator = uint128(numerator);
        ledger.denominator = uint128(denominator);
        ledger.activationTime = activationTime;
        emit CorporateActionScheduled(token, newMultiplier, activationTime, numerator, denominator);
    }

    // ---- internals

    /// @dev The ledger of `token` with a pending ratio that is due applied to it and cleared.
    function _fold(address token) private returns (Ledger storage ledger) {
        ledger = ledgers[token];
        uint256 numerator = ledger.numerator;
        if (numerator != 0 && block.timestamp >= ledger.activationTime) {
            ledger.held = ledger.held * numerator / ledger.denominator;
            ledger.numerator = 0;
            ledger.denominator = 0;
            ledger.activationTime = 0;
        }
    }
}
