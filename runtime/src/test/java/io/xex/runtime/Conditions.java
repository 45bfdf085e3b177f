package io.xex.runtime;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * For tests: waits for a condition to hold, checking it again every few milliseconds, and fails with a
 * description of what did not happen once the bound has passed. No fixed sleeps: a test waits exactly as long
 * as the condition takes.
 */
public final class Conditions {
    private static final long POLL_NS = TimeUnit.MILLISECONDS.toNanos(5);

    private Conditions() {
    }

    public static void awaitTrue(Duration bound, Supplier<String> what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("not within " + bound.toMillis() + " ms: " + what.get());
            }
            LockSupport.parkNanos(POLL_NS);
        }
    }
}
