package io.xex.settlement.localchain;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.xex.runtime.config.ConfigException;
import io.xex.settlement.chain.Anvil;
import io.xex.settlement.chain.ChainClient;
import io.xex.settlement.chain.IssuerDesk;
import io.xex.settlement.chain.SettlementVault;
import io.xex.settlement.chain.SettlementVault.AssetKind;
import io.xex.settlement.chain.VenueContracts;
import io.xex.settlement.chain.VenueContracts.Token;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The demo's chain ({@code settlement.localChain}): anvil on a free loopback port, keeping the chain in
 * {@value #STATE_FILE} of its folder, with the venue's contracts deployed once and found again at every later start
 * from {@value #DEPLOYMENT_FILE}. In order:
 * <ol>
 *   <li>{@link #start}: anvil runs (a block per transaction and one every {@code blockTimeSeconds}, its state written
 *       every {@code stateIntervalSeconds} and when it stops), and the saved contracts are looked for on it;</li>
 *   <li>{@link #prepare}, told whether the venue's database is empty: the chain and the database must belong
 *       together, or the start fails with what to delete. A new chain for a new database gets the contracts
 *       ({@link VenueContracts}), withdrawal addresses for the deposits' accounts (anvil's development accounts, by
 *       account number), and the deposits themselves, made into the vault from development wallet
 *       {@value #FUNDER_KEY}, for the deposit watcher to credit; then the addresses are saved;</li>
 *   <li>{@link #stop}: anvil stops and writes its state (and if the JVM exits first, {@link Anvil}'s exit hook stops
 *       it).</li>
 * </ol>
 * Every blocking step (the process, web3j) runs on this chain's own thread, {@value #THREAD}, never on an event loop;
 * the futures complete there. The accessors are read after {@link #prepare} has completed.
 */
public final class LocalChain {
    public static final String STATE_FILE = "state.json";
    public static final String DEPLOYMENT_FILE = "deployment.properties";
    /** The running anvil's process id: a venue killed with SIGKILL leaves its anvil running, the next start stops it. */
    public static final String PID_FILE = "anvil.pid";
    private static final Duration LEFTOVER_STOP_WAIT = Duration.ofSeconds(10);
    /** The development key of the vault's admin and operator, the tokens' owner and issuer, the desk's issuer. */
    public static final int OPERATOR_KEY = 0;
    /** The development key of the wallet that deposits for the accounts. */
    public static final int FUNDER_KEY = 1;
    /**
     * The development key that holds the desk's issuer role for the issuer's primary market: not the operator's, whose
     * nonces settlement owns once the venue runs.
     */
    public static final int ISSUER_KEY = 2;
    /** The desk's request ids of the demo's xStock funding, far above the primary market's own request ids. */
    public static final long FUNDING_REQUEST_BASE = 1L << 62;
    /** The vault's forced withdrawal delay: a week without a settled batch. */
    public static final long FORCED_WITHDRAWAL_DELAY_SECONDS = 7 * 24 * 3_600;
    static final String THREAD = "xex-local-chain";
    private static final int MIN_DEV_ACCOUNTS = 10;
    private static final System.Logger LOG = System.getLogger(LocalChain.class.getName());

    /** A deposit the new chain makes into its vault for {@code accountId}: {@code amount} in the vault's units. */
    public record Deposit(long accountId, int assetId, BigInteger amount) {
    }

    private final LocalChainConfig config;
    private final List<Token> tokens;
    private final List<Deposit> deposits;
    private final Path dir;
    private final ExecutorService thread;

    // ---- confined to the chain's thread; read by others once prepare has completed
    private volatile Anvil anvil;
    private volatile ChainClient operator;
    private volatile VenueContracts contracts;
    private volatile boolean savedButLost;
    private volatile boolean deployedNow;
    /** Guarded by this. */
    private Future<Void> stopped;
    private final long issuerAccount;

    /**
     * @param tokens        one per engine asset, in the engine's order
     * @param deposits      what a new chain deposits into its vault, in this order
     * @param issuerAccount the issuer's venue account, whose withdrawal address a new chain sets to the desk (0: none)
     */
    public LocalChain(LocalChainConfig config, List<Token> tokens, List<Deposit> deposits, long issuerAccount) {
        this.config = config;
        this.issuerAccount = issuerAccount;
        this.tokens = List.copyOf(tokens);
        this.deposits = List.copyOf(deposits);
        this.dir = config.dir().toAbsolutePath();
        this.thread = Executors.newSingleThreadExecutor(task -> {
            Thread t = new Thread(task, THREAD);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts anvil on the saved state, if any, and looks for the saved contracts on it. */
    public Future<Void> start() {
        return onOwnThread(() -> {
            Files.createDirectories(dir);
            long devAccounts = MIN_DEV_ACCOUNTS;
            for (Deposit deposit : deposits) {
                devAccounts = Math.max(devAccounts, deposit.accountId() + 1);
            }
            stopLeftover(dir.resolve(PID_FILE));
            anvil = Anvil.start(config.anvil(), List.of("--chain-id", Long.toString(config.chainId()),
                "--block-time", Integer.toString(config.blockTimeSeconds()), "--mixed-mining",
                "--state", dir.resolve(STATE_FILE).toString(),
                "--state-interval", Integer.toString(config.stateIntervalSeconds()),
                "--accounts", Long.toString(devAccounts)));
            Files.writeString(dir.resolve(PID_FILE), Long.toString(anvil.pid()), StandardCharsets.UTF_8);
            operator = anvil.client(OPERATOR_KEY);
            Path saved = dir.resolve(DEPLOYMENT_FILE);
            if (Files.exists(saved)) {
                VenueContracts found = load(saved);
                if (operator.hasCode(found.vault().address())) {
                    contracts = found;
                } else {
                    savedButLost = true;
                }
            }
            return null;
        });
    }

    /**
     * Checks that this chain and the venue's database belong together, and gives a new chain for a new database its
     * contracts and deposits. Fails with a {@link ConfigException} saying what to delete when
     * <ul>
     *   <li>the saved contracts are on the chain, the database is empty and the vault has settled batches (the
     *       database was deleted, the chain kept: its balances are not those of a new venue);</li>
     *   <li>the saved contracts are not on the chain (the state file was deleted, or anvil was killed before it wrote
     *       it) and the database is not empty;</li>
     *   <li>nothing was ever deployed here and the database is not empty (a venue that did not settle).</li>
     * </ul>
     * A kept chain with an empty database and no batch is used as it is: the deposit watcher credits its deposits
     * again to the new database.
     *
     * @param databaseEmpty whether the venue's journal holds no command
     * @param database      the database as the user knows it, for the messages ("the database in FOLDER")
     */
    public Future<Void> prepare(boolean databaseEmpty, String database) {
        return onOwnThread(() -> {
            if (contracts != null) {
                long batches = contracts.vault().lastBatchId();
                if (databaseEmpty && batches > 0) {
                    throw new ConfigException("the local chain in " + dir + " has settled " + batches + " batches of a"
                        + " venue whose database is gone (" + database + " is empty): delete " + dir
                        + " to start a new chain, or put that database back");
                }
                return null;
            }
            if (!databaseEmpty) {
                throw new ConfigException(savedButLost
                    ? "the local chain's state " + dir.resolve(STATE_FILE) + " is gone (or older than the contracts in "
                        + dir.resolve(DEPLOYMENT_FILE) + ") but " + database + " holds the venue that settled to it:"
                        + " delete both " + dir + " and " + database + " to start over"
                    : database + " holds a venue that did not settle to the local chain in " + dir + " (no "
                        + DEPLOYMENT_FILE + " there): delete " + database + " to start a venue that settles there, or"
                        + " set settlement.localChain = false");
            }
            deploy();
            save(dir.resolve(DEPLOYMENT_FILE));
            deployedNow = true;
            return null;
        });
    }

    /** Stops anvil, which writes its state; completes once it has exited. Once: later calls get the same future. */
    public synchronized Future<Void> stop() {
        if (stopped == null) {
            stopped = onOwnThread(() -> {
                if (operator != null) {
                    operator.close();
                }
                if (anvil != null) {
                    anvil.close();
                    Files.deleteIfExists(dir.resolve(PID_FILE));
                }
                return null;
            });
            thread.shutdown();
        }
        return stopped;
    }

    public String rpcUrl() {
        return anvil.rpcUrl();
    }

    /** The operator's private key: one of anvil's public development keys, never for a real chain. */
    public String operatorKey() {
        return Anvil.DEV_KEYS.get(OPERATOR_KEY);
    }

    public String vault() {
        return contracts.vault().address();
    }

    /** The issuer's desk. */
    public String desk() {
        return contracts.desk().address();
    }

    private AssetKind kind(int assetId) {
        return tokens.get(assetId).kind();
    }

    /** Each asset's token address, in the engine's asset order. */
    public List<String> tokenAddresses() {
        return contracts.tokenAddresses();
    }

    /** The folder of the chain's state and saved addresses. */
    public Path dir() {
        return dir;
    }

    /** Whether the contracts were deployed by this start (false: found from a previous one). */
    public boolean deployedNow() {
        return deployedNow;
    }

    /** Whether anvil, or a process it started, still runs. */
    public boolean isAlive() {
        Anvil running = anvil;
        return running != null && running.isAlive();
    }

    /**
     * Stops the anvil a previous run left running (its JVM killed, so no exit hook ran): it would keep writing the same
     * state file. SIGTERM first, so that it writes its latest state, then SIGKILL. Only a live process whose command
     * is anvil's is touched; a stale file is removed.
     */
    private static void stopLeftover(Path pidFile) throws IOException {
        if (!Files.exists(pidFile)) {
            return;
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.UTF_8).strip());
        } catch (NumberFormatException e) {
            Files.delete(pidFile);
            return;
        }
        Optional<ProcessHandle> leftover = ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
            .filter(process -> process.info().command().map(command -> command.contains("anvil")).orElse(false));
        if (leftover.isPresent()) {
            System.err.println("xex: stopping the local chain a previous run left running (anvil, pid " + pid + ")");
            ProcessHandle process = leftover.get();
            process.destroy();
            try {
                process.onExit().get(LEFTOVER_STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException e) {
                process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while stopping anvil " + pid, e);
            }
        }
        Files.delete(pidFile);
    }

    /** On the chain's thread: the contracts, the withdrawal addresses, the deposits. */
    private void deploy() throws Exception {
        LOG.log(System.Logger.Level.INFO, "local chain: deploying the contracts for " + tokens.size() + " assets at "
            + anvil.rpcUrl());
        contracts = VenueContracts.deploy(operator, FORCED_WITHDRAWAL_DELAY_SECONDS, tokens);
        List<String> wallets = anvil.accounts();
        SortedSet<Long> accounts = new TreeSet<>();
        Map<Integer, BigInteger> totals = new TreeMap<>();
        for (Deposit deposit : deposits) {
            accounts.add(deposit.accountId());
            totals.merge(deposit.assetId(), deposit.amount(), BigInteger::add);
        }
        for (long account : accounts) {
            if (account < wallets.size()) {
                contracts.vault().setWithdrawalAddress(account, wallets.get((int) account));
            }
        }
        contracts.desk().grantRole(IssuerDesk.ISSUER_ROLE, wallets.get(ISSUER_KEY));
        if (issuerAccount > 0) {
            contracts.vault().setWithdrawalAddress(issuerAccount, contracts.desk().address());
        }
        if (deposits.isEmpty()) {
            return;
        }
        // USDT comes from the test token's faucet; xStocks are issued by the desk straight into the vault, so that
        // the custodian's ledger backs every token (the reserves balance from the first block).
        try (ChainClient funder = anvil.client(FUNDER_KEY)) {
            for (Map.Entry<Integer, BigInteger> total : totals.entrySet()) {
                if (kind(total.getKey()) == AssetKind.ERC20) {
                    contracts.fund(funder, total.getKey(), total.getValue());
                }
            }
            SettlementVault vault = SettlementVault.at(funder, contracts.vault().address());
            long request = FUNDING_REQUEST_BASE;
            for (Deposit deposit : deposits) {
                if (kind(deposit.assetId()) == AssetKind.ERC20) {
                    vault.deposit(deposit.accountId(), deposit.assetId(), deposit.amount());
                } else {
                    contracts.desk().issue(request++, contracts.tokenAddresses().get(deposit.assetId()),
                        deposit.assetId(), deposit.accountId(), deposit.amount());
                }
            }
        }
        LOG.log(System.Logger.Level.INFO, "local chain: " + deposits.size() + " deposits made for accounts " + accounts);
    }

    /** The contracts saved in {@code file}; fails if they were deployed for other assets. */
    private VenueContracts load(Path file) throws IOException {
        Properties saved = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            saved.load(reader);
        }
        List<String> symbols = List.of(saved.getProperty("tokens", "").split(","));
        List<String> expected = tokens.stream().map(Token::symbol).toList();
        String vault = saved.getProperty("vault");
        if (!symbols.equals(expected) || vault == null) {
            throw new ConfigException("the local chain in " + dir + " was made for the assets " + symbols
                + " but the venue now has " + expected + ": delete " + dir + " and the venue's database to start over");
        }
        String desk = saved.getProperty("desk");
        if (desk == null) {
            throw new ConfigException("the local chain in " + dir + " was made before the issuer's desk (no desk in "
                + file + "): delete " + dir + " and the venue's database to start over");
        }
        List<String> addresses = new ArrayList<>();
        for (String symbol : symbols) {
            addresses.add(saved.getProperty("token." + symbol));
        }
        return VenueContracts.at(operator, vault, desk, tokens, addresses);
    }

    /** Writes the contracts' addresses to {@code file}, replacing it in one step. */
    private void save(Path file) throws IOException {
        Properties saved = new Properties();
        saved.setProperty("chainId", Long.toString(config.chainId()));
        saved.setProperty("vault", contracts.vault().address());
        saved.setProperty("desk", contracts.desk().address());
        saved.setProperty("tokens", String.join(",", tokens.stream().map(Token::symbol).toList()));
        for (int i = 0; i < tokens.size(); i++) {
            saved.setProperty("token." + tokens.get(i).symbol(), contracts.tokenAddresses().get(i));
        }
        Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
        try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
            saved.store(writer, "The venue's contracts on its local chain (settlement.localChain); anvil keeps the chain in "
                + STATE_FILE + ". Delete this folder only together with the venue's database.");
        }
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private <T> Future<T> onOwnThread(Callable<T> work) {
        Promise<T> promise = Promise.promise();
        try {
            thread.execute(() -> {
                try {
                    promise.complete(work.call());
                } catch (Exception e) {
                    promise.fail(e);
                }
            });
        } catch (RuntimeException e) {
            promise.tryFail(e);
        }
        return promise.future();
    }
}
