package io.xex.settlement.chain;

import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.http.HttpService;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A local anvil chain (npm {@code @foundry-rs/anvil}, installed in {@code settlement/node_modules}) on a free
 * loopback port, for tests and the demo: started by {@link #start}, answering {@code eth_chainId} when it returns,
 * stopped by {@link #close}, and stopped the same way if the JVM exits first. Unless told otherwise
 * ({@code --block-time}), anvil mines each transaction at once into its own block; its well-known development keys
 * ({@link #DEV_KEYS}) hold 10,000 ETH each.
 * <p>
 * The npm package's {@code .bin/anvil} is a Node.js script that runs the platform's native binary as its child; the
 * native binary is started directly when it is found ({@link #executable}), so that anvil is one process that a
 * signal reaches and that leaves no orphan. A stop is SIGTERM (anvil then writes its {@code --state} file), then
 * SIGKILL after {@link #STOP_TIMEOUT}, for the process and any child it has.
 * <p>
 * Blocking; use from one thread (a test, or the demo's set-up on a worker thread).
 */
public final class Anvil implements AutoCloseable {
    /** The binary, relative to the settlement module's directory. */
    public static final String BINARY = "node_modules/.bin/anvil";
    /** Anvil's default chain id. */
    public static final long CHAIN_ID = 31337;
    /**
     * The private keys of anvil's first development accounts (from its public default mnemonic "test test ... junk"):
     * never use them on a real chain.
     */
    public static final List<String> DEV_KEYS = List.of(
        "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80",
        "0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d",
        "0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a",
        "0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6",
        "0x47e179ec197488593b187f80a00eb0da91f1b9d0b13f8733639f19c30a34926a");
    public static final Duration START_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);
    private static final int START_ATTEMPTS = 3;

    private final Process process;
    private final int port;
    private final Path log;
    private final HttpService service;
    private final Web3j web3j;
    /** Stops anvil when the JVM exits without {@link #close}. */
    private final Thread stopOnExit;

    private Anvil(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
        this.service = new HttpService(rpcUrl());
        this.web3j = Web3j.build(service);
        this.stopOnExit = new Thread(() -> stop(process), "anvil-" + port + "-stop-on-exit");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
    }

    /**
     * Starts anvil ({@link #defaultBinary}) on a free loopback port, trying another port if the one picked was taken
     * in the meantime.
     */
    public static Anvil start() throws IOException {
        return start(defaultBinary(), List.of());
    }

    /**
     * Starts {@code binary} with {@code extraArgs} on a free loopback port, trying another port if the one picked was
     * taken in the meantime.
     */
    public static Anvil start(Path binary, List<String> extraArgs) throws IOException {
        IOException failure = null;
        for (int attempt = 0; attempt < START_ATTEMPTS; attempt++) {
            try {
                return start(binary, freePort(), extraArgs);
            } catch (IOException e) {
                failure = e;
            }
        }
        throw failure;
    }

    /**
     * {@code node_modules/.bin/anvil} of the working directory if there is one (tests run in the settlement module),
     * else {@code ../settlement/node_modules/.bin/anvil} if there is one (another module's tests), else
     * {@code settlement/node_modules/.bin/anvil} (the repository root).
     */
    public static Path defaultBinary() {
        Path here = Path.of(BINARY);
        if (Files.isExecutable(here)) {
            return here;
        }
        Path sibling = Path.of("..", "settlement").resolve(BINARY);
        return Files.isExecutable(sibling) ? sibling : Path.of("settlement").resolve(BINARY);
    }

    /**
     * What to start for {@code binary}: when it is the npm wrapper ({@code .bin/anvil}, a link to the package's
     * {@code bin.mjs}), the native binary of this platform's package beside it
     * ({@code @foundry-rs/anvil-<os>-<arch>/bin/anvil}) if installed; otherwise {@code binary} itself.
     */
    public static Path executable(Path binary) throws IOException {
        Path real = binary.toRealPath();
        if (!real.getFileName().toString().endsWith(".mjs")) {
            return binary;
        }
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        String platform = os.contains("win") ? "win32" : os.contains("mac") || os.contains("darwin") ? "darwin" : "linux";
        String cpu = arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
        Path candidate = real.getParent().resolveSibling("anvil-" + platform + "-" + cpu).resolve("bin")
            .resolve(platform.equals("win32") ? "anvil.exe" : "anvil");
        return Files.isExecutable(candidate) ? candidate : binary;
    }

    /**
     * Starts {@code binary} on {@code port} of 127.0.0.1 with {@code extraArgs} (for instance
     * {@code --state FILE} to keep the chain across a restart, or {@code --block-time 1}) and waits until it answers.
     */
    public static Anvil start(Path binary, int port, List<String> extraArgs) throws IOException {
        if (!Files.isExecutable(binary)) {
            throw new IOException(binary.toAbsolutePath() + " not found: run `npm install` in settlement/ (./xex run and ./xex test do)");
        }
        List<String> command = new ArrayList<>(List.of(executable(binary).toString(), "--host", "127.0.0.1", "--port",
            Integer.toString(port), "--silent"));
        command.addAll(extraArgs);
        Path log = Files.createTempFile("xex-anvil-", ".log");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Anvil anvil = new Anvil(process, port, log);
        try {
            anvil.awaitReady();
            return anvil;
        } catch (IOException | RuntimeException e) {
            anvil.close();
            throw e;
        }
    }

    /** A port of the loopback interface that was free a moment ago. */
    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    public String rpcUrl() {
        return "http://127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    /** The anvil process (the npm wrapper's when the native binary was not found). */
    public long pid() {
        return process.pid();
    }

    /** Whether anvil, or any process it started, still runs. */
    public boolean isAlive() {
        return process.isAlive() || process.descendants().anyMatch(ProcessHandle::isAlive);
    }

    /** The addresses of anvil's development accounts ({@code eth_accounts}), in order: index 0 is {@code DEV_KEYS[0]}'s. */
    public List<String> accounts() throws IOException {
        List<String> accounts = new ArrayList<>();
        if (rpc("eth_accounts") instanceof List<?> list) {
            list.forEach(address -> accounts.add(address.toString().toLowerCase(Locale.ROOT)));
        }
        return accounts;
    }

    /** A client signing with development key {@code index} of {@link #DEV_KEYS}. */
    public ChainClient client(int index) throws ChainException {
        return ChainClient.connect(rpcUrl(), DEV_KEYS.get(index));
    }

    /** Moves the chain's clock forward by {@code seconds} for the next block ({@code evm_increaseTime}). */
    public void increaseTime(long seconds) throws IOException {
        rpc("evm_increaseTime", seconds);
    }

    /** Mines one empty block now ({@code evm_mine}). */
    public void mine() throws IOException {
        rpc("evm_mine");
    }

    /** Any JSON-RPC method of anvil (evm_snapshot, evm_revert, anvil_reorg, anvil_dropTransaction...); its result. */
    public Object rpc(String method, Object... params) throws IOException {
        Response<?> response = new Request<>(method, Arrays.asList(params), service, RawResponse.class).send();
        if (response.hasError()) {
            throw new IOException(method + ": " + response.getError().getMessage());
        }
        return response.getResult();
    }

    /** The JSON-RPC response of {@link #rpc}, whatever its result's shape. */
    public static final class RawResponse extends Response<Object> {
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(stopOnExit);
        } catch (IllegalStateException e) {
            // the JVM is exiting: the hook stops anvil
        }
        web3j.shutdown();
        stop(process);
        try {
            Files.deleteIfExists(log);
        } catch (IOException e) {
            // a temporary file left behind is harmless
        }
    }

    /**
     * SIGTERM to {@code process} (the npm wrapper passes it on to its child), then waits up to {@link #STOP_TIMEOUT}
     * for it and its children to exit, and kills what is left.
     */
    private static void stop(Process process) {
        List<ProcessHandle> all = new ArrayList<>();
        all.add(process.toHandle());
        process.descendants().forEach(all::add);
        process.destroy();
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        try {
            for (ProcessHandle handle : all) {
                try {
                    handle.onExit().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                } catch (TimeoutException | ExecutionException e) {
                    // killed below
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle handle : all) {
            if (handle.isAlive()) {
                handle.destroyForcibly();
            }
        }
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw new IOException("anvil exited with " + process.exitValue() + " on port " + port + ": " + output());
            }
            try {
                if (web3j.ethChainId().send().getChainId() != null) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            if (System.nanoTime() - deadline > 0) {
                throw new IOException("anvil did not answer on port " + port + " within " + START_TIMEOUT + ": " + output());
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while anvil started", e);
            }
        }
    }

    private String output() {
        try {
            return Files.readString(log, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }
}
