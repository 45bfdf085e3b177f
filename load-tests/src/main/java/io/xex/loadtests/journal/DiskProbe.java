package io.xex.loadtests.journal;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;

/**
 * The disk under the database, without the database: 8 KiB (a WAL page) written and forced to the device
 * ({@code fdatasync}) over and over, one at a time, in the data folder's file system. Its tail is a floor for any
 * durable acknowledgement on this machine: while the device stalls, no commit completes.
 *
 * <p>Runs on the calling thread.
 */
final class DiskProbe {
    static final int WRITE_BYTES = 8 * 1024;
    static final long FILE_BYTES = 16L * 1024 * 1024;
    /** A force slower than this counts as a stall. */
    static final long STALL_NS = TimeUnit.MILLISECONDS.toNanos(10);
    private static final long HIGHEST_NS = TimeUnit.SECONDS.toNanos(60);

    /** {@code forceNs}: the time of each write and force; {@code stalledNs}: the time spent in stalls. */
    record Result(Histogram forceNs, long stalls, long stalledNs, long elapsedNs) {
    }

    private DiskProbe() {
    }

    static Result run(Path directory, long durationNs) throws IOException {
        Path file = Files.createTempFile(directory, "disk-probe-", ".dat");
        Histogram forceNs = new Histogram(HIGHEST_NS, 3);
        long stalls = 0;
        long stalledNs = 0;
        ByteBuffer page = ByteBuffer.allocateDirect(WRITE_BYTES);
        long startNs = System.nanoTime();
        long nowNs = startNs;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            for (long position = 0; nowNs - startNs < durationNs; position = (position + WRITE_BYTES) % FILE_BYTES) {
                page.clear();
                channel.write(page, position);
                channel.force(false);
                long doneNs = System.nanoTime();
                long tookNs = doneNs - nowNs;
                forceNs.recordValue(Math.min(tookNs, HIGHEST_NS));
                if (tookNs > STALL_NS) {
                    stalls++;
                    stalledNs += tookNs;
                }
                nowNs = doneNs;
            }
        } finally {
            Files.deleteIfExists(file);
        }
        return new Result(forceNs, stalls, stalledNs, nowNs - startNs);
    }
}
