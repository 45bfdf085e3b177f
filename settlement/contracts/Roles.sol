// SPDX-License-Identifier: UNLICENSED
pragma solidity ^0.8.24;

/// @title Roles: who may call what
/// @notice One admin grants and revokes the roles each contract defines (issuer, pauser, operator) and can hand
/// the admin role to another address in one step. The deployer is the first admin and holds no other role until
/// it grants one to itself.
abstract contract Roles {
    address public admin;
    mapping(bytes32 role => mapping(address account => bool)) public hasRole;

    event AdminTransferred(address indexed previousAdmin, address indexed newAdmin);
    event RoleGranted(bytes32 indexed role, address indexed account);
    event RoleRevoked(bytes32 indexed role, address indexed account);

    error Unauthorized(bytes32 role, address caller);
    error ZeroAddress();

    /// @dev The role that `onlyAdmin` reports in `Unauthorized`.
    bytes32 public constant ADMIN_ROLE = keccak256("ADMIN_ROLE");

    constructor() {
        admin = msg.sender;
        emit AdminTransferred(address(0), msg.sender);
    }

    modifier onlyAdmin() {
        if (msg.sender != admin) revert Unauthorized(ADMIN_ROLE, msg.sender);
        _;
    }

    modifier onlyRole(bytes32 role) {
        if (!hasRole[role][msg.sender]) revert Unauthorized(role, msg.sender);
        _;
    }

    function transferAdmin(address newAdmin) external onlyAdmin {
        if (newAdmin == address(0)) revert ZeroAddress();
        emit AdminTransferred(admin, newAdmin);
        admin = newAdmin;
    }

    function grantRole(bytes32 role, address account) external onlyAdmin {
        if (account == address(0)) revert ZeroAddress();
        if (!hasRole[role][account]) {
            hasRole[role][account] = true;
            emit RoleGranted(role, account);
        }
    }

    function revokeRole(bytes32 role, address account) external onlyAdmin {
        if (hasRole[role][account]) {
            hasRole[role][account] = false;
            emit RoleRevoked(role, account);
        }
    }
}
