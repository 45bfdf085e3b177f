package io.xex.loadtests;

import io.vertx.core.Future;
import io.xex.runtime.config.ConfigException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import java.util.stream.Stream;

/** What every benchmark of this module needs around its measurement: the machine, waiting, cleaning up. */
public final class Harness {
    private static final long STOP_TIMEOUT_SECONDS = 300;

    private Harness() {
    }

    /** A benchmark's body: it runs in {@code dir} and registers, as it starts things, how to stop them. */
    @FunctionalInterface
    public interface Body {
        void run(Path dir, Stops stops) throws Exception;
    }

    /** What a {@link Body} started, stopped in reverse order, each whatever happens to the others. */
    public static final class Stops {
        private final Deque<Supplier<Future<?>>> stops = new ArrayDeque<>();

        public void add(Supplier<Future<?>> stop) {
            stops.push(stop);
        }

        private void stopAll(String name) {
            while (!stops.isEmpty()) {
                try {
                    await(stops.pop().get(), STOP_TIMEOUT_SECONDS);
                } catch (RuntimeException e) {
                    System.err.println(name + ": while stopping: " + e.getMessage());
                }
            }
        }
    }

    /**
     * Runs a benchmark in a new temporary folder under {@code parent}, stops what it started, deletes the folder and
     * exits the JVM (the embedded PostgreSQL library's threads must not keep it up): status 0, 1 when the benchmark
     * failed, 2 on a configuration error.
     */
    public static void runAndExit(String name, Path parent, Body body) throws IOException {
        Path dir = Files.createTempDirectory(parent, "xex-" + name + "-");
        Stops stops = new Stops();
        int status = 0;
        try {
            body.run(dir, stops);
        } catch (ConfigException e) {
            System.err.println(name + ": configuration: " + e.getMessage());
            status = 2;
        } catch (Exception | Error e) {
            System.err.println(name + ": failed: " + e);
            e.printStackTrace();
            status = 1;
        } finally {
            stops.stopAll(name);
            deleteRecursively(dir);
        }
        System.exit(status);
    }

    /** The CPU model from /proc/cpuinfo, for the report's machine line. */
    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
            return "unknown (no model name in /proc/cpuinfo)";
        } catch (IOException | RuntimeException e) {
            return "unknown (/proc/cpuinfo not readable)";
        }
    }

    /** Waits for a future from a benchmark's main thread, failing with its cause or after {@code seconds}. */
    public static <T> T await(Future<T> future, long seconds) {
        try {
            return future.toCompletionStage().toCompletableFuture().get(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause().toString(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("no answer in " + seconds + " s", e);
        }
    }

    /** Deletes a folder and everything in it, if it exists. */
    public static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
