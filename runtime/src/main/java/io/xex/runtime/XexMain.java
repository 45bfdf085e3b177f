package io.xex.runtime;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * {@code xex run [--config FILE]}: starts the venue, prints where everything is, and on SIGTERM (or
 * Ctrl-C) stops it cleanly: new commands refused, the journal flushed, a snapshot taken, history written,
 * the embedded database stopped.
 */
public final class XexMain {
    static final long STOP_TIMEOUT_SECONDS = 60;

    private XexMain() {
    }

    /** The engine and its services alone; {@code xex run} adds the gateways (module {@code app}). */
    public static void main(String[] args) throws Exception {
        run(args, config -> List.of());
    }

    /**
     * Runs the venue with the components {@code components} builds from the configuration (reading and
     * validating their settings before anything starts).
     */
    public static void run(String[] args, Function<ConfigSource, List<VenueComponent>> components) throws Exception {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config" -> {
                    if (i + 1 == args.length) {
                        usage("--config needs a file");
                    }
                    configFile = Path.of(args[++i]);
                }
                case "--help", "-h" -> {
                    System.out.println("usage: xex run [--config FILE]");
                    System.out.println("Every setting, with its default and environment variable: xex-defaults.properties");
                    return;
                }
                default -> usage("unknown option " + args[i]);
            }
        }
        if (configFile == null && System.getenv("XEX_CONFIG") != null && !System.getenv("XEX_CONFIG").isBlank()) {
            configFile = Path.of(System.getenv("XEX_CONFIG"));
        }
        if (configFile != null && !Files.isReadable(configFile)) {
            usage("cannot read configuration file " + configFile);
        }
        Venue venue;
        try {
            ConfigSource config = ConfigSource.load(configFile, System.getenv());
            venue = Venue.start(config, components.apply(config))
                .toCompletionStage().toCompletableFuture().get(5, TimeUnit.MINUTES);
        } catch (ConfigException e) {
            System.err.println("xex: configuration: " + e.getMessage());
            System.exit(2);
            return;
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof ConfigException refused)) {
                throw e;
            }
            // Found only once a component looked at what it starts on (e.g. a local chain that does not match the database).
            System.err.println("xex: cannot start: " + refused.getMessage());
            System.exit(2);
            return;
        }
        StopOnce stop = new StopOnce(venue);
        // JVM shutdown hooks run concurrently, and the embedded PostgreSQL's library registers one that stops the
        // server: on SIGTERM or SIGINT the venue must stop first, then the JVM may exit and run the hooks.
        if (!Signals.onTerminate(() -> {
            stop.run();
            System.exit(0);
        })) {
            Runtime.getRuntime().addShutdownHook(new Thread(stop, "xex-shutdown"));
        }
        venue.runtime().ended().onFailure(e -> {
            System.err.println("xex: exiting with status 70 so that a supervisor restarts the venue into recovery");
            System.exit(70);
        });
        venue.printWhereEverythingIs(System.out);
    }

    /** Stops the venue the first time it runs, and waits for that stop any later time. */
    private static final class StopOnce implements Runnable {
        private final Venue venue;
        private boolean stopped;

        StopOnce(Venue venue) {
            this.venue = venue;
        }

        @Override
        public synchronized void run() {
            if (stopped) {
                return;
            }
            stopped = true;
            System.out.println("xex: stopping");
            try {
                venue.stop().toCompletionStage().toCompletableFuture().get(STOP_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                System.out.println("xex: stopped cleanly");
            } catch (Exception e) {
                System.err.println("xex: clean stop did not finish: " + e);
            }
        }
    }

    private static void usage(String message) {
        System.err.println("xex run: " + message);
        System.err.println("usage: xex run [--config FILE]");
        System.exit(2);
    }
}
