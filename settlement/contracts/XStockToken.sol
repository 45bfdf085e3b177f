// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {Roles} from "./Roles.sol";

/// @title XStockToken: a tokenized stock whose balances are shares times a multiplier
/// @notice An ERC-20 with 18 decimals. The contract keeps each holder's shares; a balance is derived from them:
/// `balanceOf(holder) = sharesOf(holder) * multiplier() / 1e18`, rounded down. The multiplier is an 18-decimal
/// fixed-point number that starts at 1e18. A corporate action (split, reverse split, dividend reinvestment) is a
/// new multiplier that the issuer schedules with an activation time: from the first block whose timestamp is at
/// or after that time, every balance follows the new multiplier while every holder's shares stay as they are.
/// Nothing is written at activation; view functions compare `block.timestamp` with the activation time.
///
/// Rounding, which happens only while the multiplier is not exactly 1e18:
/// - `transfer` and `transferFrom` of `amount` move `sharesForAmount(amount)` = ceil(amount * 1e18 / multiplier)
///   shares: the recipient's balance grows by at least `amount`, and sending one's whole balance always works.
/// - `mint(to, amount)` creates floor(amount * 1e18 / multiplier) shares (never more than `amount` is worth);
///   `burn(amount)` destroys ceil(amount * 1e18 / multiplier) shares (never less).
/// - `transferShares`, `transferSharesFrom`, `mintShares` and `burnShares` are exact: they name shares. The
///   settlement vault keeps xStock balances in shares and moves them with these, so that a corporate action
///   changes what its accounts hold without any write to the vault.
/// - `transferSharesFrom` spends ceil(shares * multiplier / 1e18) of the allowance, which is in tokens.
///
/// Roles: the admin grants and revokes the others; ISSUER_ROLE mints, burns (from its own balance) and schedules
/// multipliers; PAUSER_ROLE pauses and unpauses. While paused, no transfer, mint or burn succeeds (`approve` does).
contract XStockToken is Roles {
    bytes32 public constant ISSUER_ROLE = keccak256("ISSUER_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    uint8 public constant decimals = 18;
    uint256 public constant ONE = 1e18;
    /// @notice The largest multiplier accepted: a split of 10^18 for one.
    uint256 public constant MAX_MULTIPLIER = 1e36;

    string public name;
    string public symbol;
    uint256 public totalShares;
    mapping(address holder => uint256) public sharesOf;
    mapping(address holder => mapping(address spender => uint256)) public allowance;
    bool public paused;

    /// @dev The multiplier before `scheduledActivationTime`.
    uint256 private previousMultiplier;
    /// @notice The latest scheduled multiplier; in effect from `scheduledActivationTime` on.
    uint256 public scheduledMultiplier;
    uint256 public scheduledActivationTime;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event TransferShares(address indexed from, address indexed to, uint256 shares);
    event MultiplierScheduled(uint256 multiplier, uint256 activationTime);
    event Paused(address account);
    event Unpaused(address account);

    error IsPaused();
    error InsufficientShares(address holder, uint256 shares, uint256 needed);
    error InsufficientAllowance(address holder, address spender, uint256 allowance, uint256 needed);
    error InvalidMultiplier(uint256 multiplier);
    error ActivationInThePast(uint256 activationTime, uint256 now);

    constructor(string memory name_, string memory symbol_) {
        name = name_;
        symbol = symbol_;
        previousMultiplier = ONE;
        scheduledMultiplier = ONE;
        emit MultiplierScheduled(ONE, block.timestamp);
        scheduledActivationTime = block.timestamp;
    }

    modifier whenNotPaused() {
        if (paused) revert IsPaused();
        _;
    }

    // ---- views

    /// @notice The multiplier in effect at this block's timestamp (18 decimals).
    function multiplier() public view returns (uint256) {
        return block.timestamp >= scheduledActivationTime ? scheduledMultiplier : previousMultiplier;
    }

    function balanceOf(address holder) external view returns (uint256) {
        return sharesOf[holder] * multiplier() / ONE;
    }

    function totalSupply() external view returns (uint256) {
        return totalShares * multiplier() / ONE;
    }

    /// @notice Shares that a transfer of `amount` tokens moves: ceil(amount * 1e18 / multiplier).
    function sharesForAmount(uint256 amount) public view returns (uint256) {
        return _ceilDiv(amount * ONE, multiplier());
    }

    /// @notice Tokens that `shares` are worth: floor(shares * multiplier / 1e18).
    function amountForShares(uint256 shares) public view returns (uint256) {
        return shares * multiplier() / ONE;
    }

    // ---- ERC-20

    function transfer(address to, uint256 amount) external whenNotPaused returns (bool) {
        uint256 shares = sharesForAmount(amount);
        _moveShares(msg.sender, to, shares);
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        allowance[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    /// @notice An allowance of type(uint256).max is never decreased.
    function transferFrom(address from, address to, uint256 amount) external whenNotPaused returns (bool) {
        _spendAllowance(from, amount);
        _moveShares(from, to, sharesForAmount(amount));
        emit Transfer(from, to, amount);
        return true;
    }

    // ---- shares

    function transferShares(address to, uint256 shares) external whenNotPaused returns (bool) {
        _moveShares(msg.sender, to, shares);
        emit Transfer(msg.sender, to, amountForShares(shares));
        return true;
    }

    function transferSharesFrom(address from, address to, uint256 shares) external whenNotPaused returns (bool) {
        _spendAllowance(from, _ceilDiv(shares * multiplier(), ONE));
        _moveShares(from, to, shares);
        emit Transfer(from, to, amountForShares(shares));
        return true;
    }

    // ---- issuer

    /// @notice Mints floor(amount * 1e18 / multiplier) shares to `to`.
    function mint(address to, uint256 amount) external onlyRole(ISSUER_ROLE) whenNotPaused {
        _mintShares(to, amount * ONE / multiplier());
    }

    function mintShares(address to, uint256 shares) external onlyRole(ISSUER_ROLE) whenNotPaused {
        _mintShares(to, shares);
    }

    /// @notice Burns ceil(amount * 1e18 / multiplier) shares from the issuer's own balance.
    function burn(uint256 amount) external onlyRole(ISSUER_ROLE) whenNotPaused {
        _burnShares(msg.sender, sharesForAmount(amount));
    }

    function burnShares(uint256 shares) external onlyRole(ISSUER_ROLE) whenNotPaused {
        _burnShares(msg.sender, shares);
    }

    /// @notice Schedules `newMultiplier` from `activationTime` (seconds since the epoch, now or later) on. A change
    /// scheduled earlier and not yet active is replaced; one that is active becomes the multiplier before this one.
    function scheduleMultiplier(uint256 newMultiplier, uint256 activationTime) external onlyRole(ISSUER_ROLE) {
        if (newMultiplier == 0 || newMultiplier > MAX_MULTIPLIER) revert InvalidMultiplier(newMultiplier);
        if (activationTime < block.timestamp) revert ActivationInThePast(activationTime, block.timestamp);
        if (block.timestamp >= scheduledActivationTime) {
            previousMultiplier = scheduledMultiplier;
        }
        scheduledMultiplier = newMultiplier;
        scheduledActivationTime = activationTime;
        emit MultiplierScheduled(newMultiplier, activationTime);
    }

    // ---- pauser

    function pause() external onlyRole(PAUSER_ROLE) {
        paused = true;
        emit Paused(msg.sender);
    }

    function unpause() external onlyRole(PAUSER_ROLE) {
        paused = false;
        emit Unpaused(msg.sender);
    }

    // ---- internals

    function _moveShares(address from, address to, uint256 shares) private {
        if (to == address(0)) revert ZeroAddress();
        uint256 held = sharesOf[from];
        if (held < shares) revert InsufficientShares(from, held, shares);
        unchecked {
            sharesOf[from] = held - shares;
            sharesOf[to] += shares; // no holder has more than totalShares
        }
        emit TransferShares(from, to, shares);
    }

    function _spendAllowance(address from, uint256 amount) private {
        uint256 allowed = allowance[from][msg.sender];
        if (allowed != type(uint256).max) {
            if (allowed < amount) revert InsufficientAllowance(from, msg.sender, allowed, amount);
            unchecked {
                allowance[from][msg.sender] = allowed - amount;
            }
        }
    }

    function _mintShares(address to, uint256 shares) private {
        if (to == address(0)) revert ZeroAddress();
        totalShares += shares;
        unchecked {
            sharesOf[to] += shares;
        }
        emit TransferShares(address(0), to, shares);
        emit Transfer(address(0), to, amountForShares(shares));
    }

    function _burnShares(address from, uint256 shares) private {
        uint256 held = sharesOf[from];
        if (held < shares) revert InsufficientShares(from, held, shares);
        unchecked {
            sharesOf[from] = held - shares;
            totalShares -= shares; // totalShares >= held >= shares
        }
        emit TransferShares(from, address(0), shares);
        emit Transfer(from, address(0), amountForShares(shares));
    }

    function _ceilDiv(uint256 a, uint256 b) private pure returns (uint256) {
        return a == 0 ? 0 : (a - 1) / b + 1;
    }
}
