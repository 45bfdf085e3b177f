package io.xex.runtime.engine;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Commands accepted by the proxy and not yet durable: in the inbox, applied, or in a journal write. The
 * bound is what the runtime holds while the database is away before it refuses new commands.
 *
 * <p>Thread-safe: taken by submitters on any thread, released by the journal writer.
 */
final class Pending {
    private final int max;
    private final AtomicInteger count = new AtomicInteger();

    Pending(int max) {
        this.max = max;
    }

    /** Takes a place, or returns false when all {@code max} are taken. */
    boolean tryTake() {
        if (count.incrementAndGet() > max) {
            count.decrementAndGet();
            return false;
        }
        return true;
    }

    void released(int n) {
        count.addAndGet(-n);
    }

    int count() {
        return count.get();
    }
}
