// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

import {Roles} from "./Roles.sol";

/// @title SettlementVault: the venue's settled balances on one chain
/// @notice Holds the tokens of every venue account and keeps, per account (uint32 id) and registered asset
/// (uint16 id), the account's settled balance. Tokens enter with `deposit`, which an off-chain watcher credits
/// through the venue's journal. The operator settles the venue's trades in batches: `settle` applies the net
/// movement of each account and asset (legs) and pays the batch's withdrawals to each account's whitelisted
/// address. If the operator stops settling for `forcedWithdrawalDelay` seconds, each whitelisted address can
/// take its account's settled balance out itself (`forceWithdraw`).
///
/// Units: an asset registered as ERC20 is counted in the token's base units; one registered as SHARES (an
/// XStockToken) is counted in the token's shares and moved with its share functions, so that a corporate action
/// (a new multiplier) changes what each account's shares are worth without any write here.
///
/// Legs, `bytes` of 18-byte records packed back to back (no padding), big-endian:
///   uint16 assetId | uint32 accountId | int96 amount (two's complement; + credits, - debits)
/// in strictly increasing order of (assetId, accountId): one leg per account and asset, grouped by asset, so the
/// zero-sum check needs one running sum. |amount| < 2^95 (about 3.9e28 base units: 3.9e10 tokens of 18 decimals).
/// Withdrawals, 18-byte records in any order:
///   uint16 assetId | uint32 accountId | uint96 amount (> 0)
///
/// Roles: the admin grants and revokes OPERATOR_ROLE; operators register assets, set withdrawal addresses and
/// settle. Registered assets are plain ERC-20s (no fee on transfer, no rebasing other than XStockToken's shares).
contract SettlementVault is Roles {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    uint256 public constant LEG_BYTES = 18;
    uint256 public constant WITHDRAWAL_BYTES = 18;
    /// @notice Gas forwarded to a token for one withdrawal's transfer in `settle`; a batch reverts rather than
    /// starve it, so a withdrawal fails only if the token itself refuses (a paused token, for one).
    uint256 public constant WITHDRAWAL_GAS = 100_000;

    enum AssetKind {
        NONE,
        ERC20,
        SHARES
    }

    struct Asset {
        address token;
        AssetKind kind;
    }

    /// @notice Seconds without a settled batch after which whitelisted addresses can withdraw by themselves.
    uint256 public immutable forcedWithdrawalDelay;

    mapping(uint16 assetId => Asset) public assets;
    /// @dev Key (assetId << 32 | accountId): the first 48 bits of a leg.
    mapping(uint256 key => uint256) private balances;
    mapping(uint32 accountId => address) public withdrawalAddress;
    uint64 public lastBatchId;
    /// @notice The timestamp of the last settled batch, or of the deployment before the first.
    uint64 public lastSettledAt;

    event Deposit(uint32 indexed accountId, uint16 indexed assetId, uint256 amount, address indexed depositor);
    event BatchSettled(
        uint64 indexed batchId, bytes32 legsHash, bytes32 withdrawalsHash, uint32 legCount, uint32 withdrawalCount
    );
    event Withdrawal(uint64 indexed batchId, uint32 indexed accountId, uint16 indexed assetId, uint256 amount, address to);
    /// @notice The token refused a withdrawal of `settle`: the amount is back in the account's settled balance.
    event WithdrawalFailed(
        uint64 indexed batchId, uint32 indexed accountId, uint16 indexed assetId, uint256 amount, address to
    );
    event ForcedWithdrawal(uint32 indexed accountId, uint16 indexed assetId, uint256 amount, address to);
    event AssetRegistered(uint16 indexed assetId, address token, AssetKind kind);
    event WithdrawalAddressSet(uint32 indexed accountId, address to);

    error UnknownAsset(uint16 assetId);
    error AssetAlreadyRegistered(uint16 assetId);
    error NotAContract(address token);
    error ZeroAmount();
    error TokenTransferFailed(address token);
    error BatchIdNotIncreasing(uint64 lastBatchId, uint64 batchId);
    error MalformedLegs(uint256 length);
    error MalformedWithdrawals(uint256 length);
    error LegsNotSorted(uint256 index);
    error NotZeroSum(uint16 assetId, int256 sum);
    error InsufficientBalance(uint32 accountId, uint16 assetId, uint256 balance, uint256 needed);
    error NoWithdrawalAddress(uint32 accountId);
    error NotEnoughGasForWithdrawal();
    error NotWithdrawalAddress(uint32 accountId, address caller);
    error SettlementActive(uint256 forcedWithdrawalFrom);

    constructor(uint256 forcedWithdrawalDelay_) {
        forcedWithdrawalDelay = forcedWithdrawalDelay_;
        lastSettledAt = uint64(block.timestamp);
    }

    // ---- views

    /// @notice The settled balance of an account in an asset, in the asset's vault units (see Units).
    function balanceOf(uint32 accountId, uint16 assetId) external view returns (uint256) {
        return balances[_key(assetId, accountId)];
    }

    /// @notice The first timestamp at which `forceWithdraw` works, unless a batch settles before.
    function forcedWithdrawalFrom() public view returns (uint256) {
        return uint256(lastSettledAt) + forcedWithdrawalDelay;
    }

    // ---- operator

    /// @notice Registers `token` as `assetId`, once: the token of an asset never changes.
    function registerAsset(uint16 assetId, address token, AssetKind kind) external onlyRole(OPERATOR_ROLE) {
        if (assets[assetId].kind != AssetKind.NONE) revert AssetAlreadyRegistered(assetId);
        if (kind == AssetKind.NONE) revert UnknownAsset(assetId);
        if (token.code.length == 0) revert NotAContract(token);
        assets[assetId] = Asset(token, kind);
        emit AssetRegistered(assetId, token, kind);
    }

    function setWithdrawalAddress(uint32 accountId, address to) external onlyRole(OPERATOR_ROLE) {
        if (to == address(0)) revert ZeroAddress();
        withdrawalAddress[accountId] = to;
        emit WithdrawalAddressSet(accountId, to);
    }

    /// @notice Applies one batch: every leg, then every withdrawal. `batchId` must be above `lastBatchId`, so a
    /// batch sent twice reverts the second time. Reverts unless the legs are well-formed, sorted and sum to zero
    /// per asset, and unless every debit and withdrawal is covered by the balance at that point. A withdrawal
    /// that the token refuses is credited back and reported by `WithdrawalFailed`; the batch still settles.
    function settle(uint64 batchId, bytes calldata legs, bytes calldata withdrawals)
        external
        onlyRole(OPERATOR_ROLE)
    {
        uint64 last = lastBatchId;
        if (batchId <= last) revert BatchIdNotIncreasing(last, batchId);
        if (legs.length % LEG_BYTES != 0) revert MalformedLegs(legs.length);
        if (withdrawals.length % WITHDRAWAL_BYTES != 0) revert MalformedWithdrawals(withdrawals.length);
        lastBatchId = batchId;
        lastSettledAt = uint64(block.timestamp);
        _applyLegs(legs);
        _applyWithdrawals(batchId, withdrawals);
        emit BatchSettled(
            batchId,
            keccak256(legs),
            keccak256(withdrawals),
            uint32(legs.length / LEG_BYTES),
            uint32(withdrawals.length / WITHDRAWAL_BYTES)
        );
    }

    // ---- anyone

    /// @notice Pulls `amount` (vault units: token base units, or shares for a SHARES asset) from the caller, who
    /// has approved the vault on the token, and credits it to `accountId`.
    function deposit(uint32 accountId, uint16 assetId, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Asset memory asset = assets[assetId];
        if (asset.kind == AssetKind.NONE) revert UnknownAsset(assetId);
        bytes memory call = asset.kind == AssetKind.ERC20
            ? abi.encodeWithSignature("transferFrom(address,address,uint256)", msg.sender, address(this), amount)
            : abi.encodeWithSignature("transferSharesFrom(address,address,uint256)", msg.sender, address(this), amount);
        if (!_callToken(asset.token, call, gasleft())) revert TokenTransferFailed(asset.token);
        balances[_key(assetId, accountId)] += amount;
        emit Deposit(accountId, assetId, amount, msg.sender);
    }

    /// @notice Once no batch has settled for `forcedWithdrawalDelay` seconds, the whitelisted address of
    /// `accountId` takes the account's whole settled balance of `assetId`.
    function forceWithdraw(uint32 accountId, uint16 assetId) external {
        address to = withdrawalAddress[accountId];
        if (to == address(0) || msg.sender != to) revert NotWithdrawalAddress(accountId, msg.sender);
        uint256 from = forcedWithdrawalFrom();
        if (block.timestamp < from) revert SettlementActive(from);
        Asset memory asset = assets[assetId];
        if (asset.kind == AssetKind.NONE) revert UnknownAsset(assetId);
        uint256 key = _key(assetId, accountId);
        uint256 amount = balances[key];
        if (amount == 0) revert ZeroAmount();
        balances[key] = 0;
        if (!_pay(asset, to, amount, gasleft())) revert TokenTransferFailed(asset.token);
        emit ForcedWithdrawal(accountId, assetId, amount, to);
    }

    // ---- internals

    function _applyLegs(bytes calldata legs) private {
        uint256 next; // the smallest key the next leg may have
        uint256 group = type(uint256).max; // the asset of the current group
        int256 sum; // of the current group; |sum| < 2^95 * 2^32 legs, no overflow
        uint256 start;
        uint256 end;
        assembly {
            start := legs.offset
            end := add(start, legs.length)
        }
        unchecked {
            uint256 offset = start;
            for (; offset < end; offset += LEG_BYTES) {
                uint256 word;
                assembly {
                    word := calldataload(offset)
                }
                uint256 key = word >> 208;
                int256 amount = int256(word << 48) >> 160;
                if (key < next) revert LegsNotSorted((offset - start) / LEG_BYTES);
                next = key + 1;
                uint256 assetId = key >> 32;
                if (assetId != group) {
                    if (sum != 0) revert NotZeroSum(uint16(group), sum);
                    if (assets[uint16(assetId)].kind == AssetKind.NONE) revert UnknownAsset(uint16(assetId));
                    group = assetId;
                }
                sum += amount;
                // One keccak for the slot, one SLOAD, one SSTORE. A debit wraps around in `updated`, which is then
                // above `held`. A credit cannot overflow: the legs of an asset sum to zero and every debit is
                // covered, so each balance stays below the vault's holding of the asset.
                uint256 slot;
                uint256 held;
                assembly ("memory-safe") {
                    mstore(0, key)
                    mstore(32, balances.slot)
                    slot := keccak256(0, 64)
                    held := sload(slot)
                }
                uint256 updated = held + uint256(amount);
                if (amount < 0 && updated > held) {
                    revert InsufficientBalance(uint32(key), uint16(assetId), held, uint256(-amount));
                }
                assembly ("memory-safe") {
                    sstore(slot, updated)
                }
            }
        }
        if (sum != 0) revert NotZeroSum(uint16(group), sum);
    }

    function _applyWithdrawals(uint64 batchId, bytes calldata withdrawals) private {
        uint256 offset;
        uint256 end;
        assembly {
            offset := withdrawals.offset
            end := add(offset, withdrawals.length)
        }
        for (; offset < end; offset += WITHDRAWAL_BYTES) {
            uint256 word;
            assembly {
                word := calldataload(offset)
            }
            uint256 key = word >> 208;
            uint256 amount = (word << 48) >> 160;
            uint16 assetId = uint16(key >> 32);
            uint32 accountId = uint32(key);
            if (amount == 0) revert ZeroAmount();
            address to = withdrawalAddress[accountId];
            if (to == address(0)) revert NoWithdrawalAddress(accountId);
            Asset memory asset = assets[assetId];
            if (asset.kind == AssetKind.NONE) revert UnknownAsset(assetId);
            uint256 balance = balances[key];
            if (amount > balance) revert InsufficientBalance(accountId, assetId, balance, amount);
            balances[key] = balance - amount;
            if (gasleft() < WITHDRAWAL_GAS * 64 / 63 + 10_000) revert NotEnoughGasForWithdrawal();
            if (_pay(asset, to, amount, WITHDRAWAL_GAS)) {
                emit Withdrawal(batchId, accountId, assetId, amount, to);
            } else {
                balances[key] = balance;
                emit WithdrawalFailed(batchId, accountId, assetId, amount, to);
            }
        }
    }

    function _pay(Asset memory asset, address to, uint256 amount, uint256 gas) private returns (bool) {
        bytes memory call = asset.kind == AssetKind.ERC20
            ? abi.encodeWithSignature("transfer(address,uint256)", to, amount)
            : abi.encodeWithSignature("transferShares(address,uint256)", to, amount);
        return _callToken(asset.token, call, gas);
    }

    /// @dev True if the token neither reverted nor returned false (a token that returns nothing succeeds).
    function _callToken(address token, bytes memory call, uint256 gas) private returns (bool) {
        (bool ok, bytes memory result) = token.call{gas: gas}(call);
        return ok && (result.length == 0 || (result.length >= 32 && abi.decode(result, (bool))));
    }

    function _key(uint16 assetId, uint32 accountId) private pure returns (uint256) {
        return uint256(assetId) << 32 | accountId;
    }
}
