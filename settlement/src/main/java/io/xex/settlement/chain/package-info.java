/**
 * The settlement contracts on an EVM chain: their compiled artefacts ({@link io.xex.settlement.chain.ContractArtefact}),
 * hand-written bindings over web3j's ABI encoder ({@link io.xex.settlement.chain.SettlementVault},
 * {@link io.xex.settlement.chain.XStockToken}, {@link io.xex.settlement.chain.TestUsdt}, the issuer's
 * {@link io.xex.settlement.chain.IssuerDesk} with the custodian's share ledger), the vault's packed batch
 * encoding ({@link io.xex.settlement.chain.LegCodec}), the JSON-RPC client that signs and sends
 * ({@link io.xex.settlement.chain.ChainClient}), the deployment of a vault with its tokens and desk
 * ({@link io.xex.settlement.chain.VenueContracts}) and a local anvil chain ({@link io.xex.settlement.chain.Anvil}).
 * <p>
 * Everything here that talks to a chain blocks on the network: it runs on a worker thread (a Vert.x worker pool or
 * executeBlocking), never on an event loop.
 */
package io.xex.settlement.chain;
