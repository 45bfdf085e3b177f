package io.xex.settlement;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.xex.runtime.wallet.WithdrawalGate;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.ChainException;
import io.xex.settlement.chain.LegCodec;
import io.xex.settlement.chain.SettlementVault;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * Settlement's {@link WithdrawalGate} for one chain: an account may withdraw an asset of the chain once the chain's
 * vault has a whitelisted address for it ({@code withdrawalAddress(account)}, which the operator sets), because the
 * vault reverts a whole batch holding a withdrawal of an account without one. With several chains
 * {@link SettlementComponent#withdrawalGate()} asks the gate of the asset's chain. The vault is read on the chain's
 * own {@value #WORKER}{@code -<chain id>} worker, never on an event loop.
 * An address that is set is cached: the vault cannot unset one, so a withdrawal it allowed stays payable. The
 * operator may replace it; the vault pays whichever is set when the batch settles, so a cached {@code to} shown to
 * a client can be out of date until the venue restarts. An unset answer is not cached: the next check reads again.
 *
 * <p>{@link #check} is called from any context and answered on the caller's; the cache is concurrent; the chain
 * client is confined to the worker (opened there at the first check, so an unreachable chain delays nothing).
 */
final class VaultWithdrawalGate implements WithdrawalGate {
    static final String WORKER = "xex-withdrawal-gate";
    private static final System.Logger LOG = System.getLogger(VaultWithdrawalGate.class.getName());

    /** Read when used: a local chain's location is known only once it runs. */
    private final Supplier<SettlementConfig> config;
    private final Map<Long, String> addresses = new ConcurrentHashMap<>();
    /** Set by {@link #start}, cleared by {@link #stop}; null while settlement is not running. */
    private volatile WorkerExecutor worker;

    // ---- confined to the worker
    private ChainClient chain;
    private SettlementVault vault;
    private boolean closed;

    VaultWithdrawalGate(Supplier<SettlementConfig> config) {
        this.config = config;
    }

    void start(Vertx vertx) {
        worker = vertx.createSharedWorkerExecutor(WORKER + "-" + config.get().chainId(), 1);
    }

    Future<Void> stop() {
        WorkerExecutor running = worker;
        worker = null;
        if (running == null) {
            return Future.succeededFuture();
        }
        // Ordered on the worker's one thread: after a read in flight.
        return running.<Void>executeBlocking(() -> {
            closed = true;
            if (chain != null) {
                chain.close();
            }
            return null;
        }).eventually(running::close);
    }

    /** {@code assetId} is one of this chain's: the answer is the account's, for any asset of the chain. */
    @Override
    public Future<Decision> check(long accountId, int assetId) {
        String known = addresses.get(accountId);
        if (known != null) {
            return Future.succeededFuture(new Decision.Allowed(known));
        }
        if (accountId < 0 || accountId > LegCodec.MAX_ACCOUNT_ID) {
            return Future.succeededFuture(new Decision.Refused(Reason.NO_ADDRESS,
                "account " + accountId + " does not fit the vault's 32-bit account ids"));
        }
        WorkerExecutor running = worker;
        if (running == null) {
            return Future.succeededFuture(new Decision.Refused(Reason.UNAVAILABLE, "settlement is not running"));
        }
        return running.executeBlocking(() -> read(accountId)).transform(ar -> {
            if (ar.succeeded()) {
                return Future.succeededFuture(ar.result());
            }
            LOG.log(System.Logger.Level.WARNING, "withdrawals: cannot read the withdrawal address of account "
                + accountId + " from vault " + config.get().vault() + ": " + ar.cause().getMessage());
            return Future.succeededFuture(new Decision.Refused(Reason.UNAVAILABLE,
                "the settlement chain cannot be read, try again"));
        });
    }

    /** On the worker: the vault's answer, cached when it is an address. */
    private Decision read(long accountId) throws ChainException {
        if (closed) {
            return new Decision.Refused(Reason.UNAVAILABLE, "settlement is not running");
        }
        if (vault == null) {
            chain = ChainClient.connect(config.get().rpcUrl(), config.get().operatorKey());
            vault = SettlementVault.at(chain, config.get().vault());
        }
        Optional<String> address = vault.withdrawalAddress(accountId);
        if (address.isEmpty()) {
            return new Decision.Refused(Reason.NO_ADDRESS, "the operator has not set a withdrawal address for account "
                + accountId + " on the vault");
        }
        addresses.put(accountId, address.get());
        return new Decision.Allowed(address.get());
    }
}
