package io.xex.loadtests.engine;

import io.xex.matching.replay.OrderStream;
import io.xex.matching.replay.Replayer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * JMH view of a replay: mainly to show, with {@code -prof gc}, how many bytes each engine allocates per
 * command in steady state.
 *
 * <p>JMH needs {@code @OperationsPerInvocation} as a compile-time constant, and a stream's size is not one,
 * so there are two shapes:
 * <ul>
 *   <li>{@code xexCommand}, {@code exchangeCoreCommand}: one operation is one command. Each invocation
 *       applies the next command; after the last one the engine is reset and the stream starts again, so
 *       resets are amortised over the pass. Time and {@code gc.alloc.rate.norm} are per command.</li>
 *   <li>{@code xexPass}, {@code exchangeCorePass}: one operation is a whole pass, reset then every command.
 *       Divide by the stream's size (printed at setup) for per-command figures.</li>
 * </ul>
 * xex resets with {@link Replayer#resetEngine()}, which keeps its pools; exchange-core with
 * {@link ExchangeCoreBook#resetEngine()}: new books over its existing object pool, as near a reset as its API
 * allows.
 *
 * <p>The stream comes from the {@code stream} parameter ({@code -p stream=FILE}), resolved against the
 * working directory, unless the system property {@value #STREAM_PROPERTY} names one. Run from
 * {@code /work/main} (or the repository root):
 * <pre>
 * java -jar load-tests/target/benchmarks.jar ReplayBenchmark -prof gc
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {
    // exchange-core 0.5.3 and its Chronicle dependencies reach into the JDK's internals on 17+.
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED"})
public class ReplayBenchmark {

    /** System property naming the stream file; overrides the {@code stream} parameter when set. */
    public static final String STREAM_PROPERTY = "xex.bench.stream";

    @Param("../shared/bench/medium.csv.gz")
    public String stream;

    private Replayer replayer;
    private ExchangeCoreBook exchangeCore;
    private int commands;
    private int nextXex;
    private int nextExchangeCore;

    @Setup(Level.Trial)
    public void load() throws IOException {
        Path file = Path.of(System.getProperty(STREAM_PROPERTY, stream)).toAbsolutePath();
        OrderStream orders = OrderStream.read(file);
        commands = orders.size();
        System.out.println("stream " + file + ": " + commands + " commands (one pass = that many operations)");
        replayer = new Replayer(orders);
        replayer.freshEngine();
        exchangeCore = new ExchangeCoreBook(orders);
        exchangeCore.freshEngine();
        nextXex = 0;
        nextExchangeCore = 0;
    }

    /** One xex pass: reset, then every command. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long xexPass() {
        replayer.resetEngine();
        replayer.runAll();
        return replayer.trades();
    }

    /** One exchange-core pass: new books over the kept object pool, then every command. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long exchangeCorePass() {
        exchangeCore.resetEngine();
        exchangeCore.runAll();
        return exchangeCore.rejectedCancels();
    }

    /** The next xex command; resets after the last one. */
    @Benchmark
    public void xexCommand() {
        replayer.apply(nextXex);
        if (++nextXex == commands) {
            replayer.resetEngine();
            nextXex = 0;
        }
    }

    /** The next exchange-core command; resets after the last one. */
    @Benchmark
    public void exchangeCoreCommand() {
        exchangeCore.apply(nextExchangeCore);
        if (++nextExchangeCore == commands) {
            exchangeCore.resetEngine();
            nextExchangeCore = 0;
        }
    }
}
