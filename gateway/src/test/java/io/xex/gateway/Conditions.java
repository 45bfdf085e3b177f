package io.xex.gateway;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** For tests: waits until a condition holds, or fails with what did not happen. No fixed sleeps. */
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
