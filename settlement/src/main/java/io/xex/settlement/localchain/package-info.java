/**
 * The demo's own chain ({@code settlement.localChain}, on for {@code ./xex run}): anvil started on a free loopback
 * port with its state kept beside the embedded database, the venue's contracts deployed to it once and found again
 * at every later start, the demo accounts' deposits made into its vault, and the check that the chain and the
 * database belong together. Everything here blocks on a process or the network and runs on the chain's own thread,
 * never on an event loop; it depends on {@code chain} only, and the settlement component uses it.
 */
package io.xex.settlement.localchain;
