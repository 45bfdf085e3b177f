package io.xex.loadtests.journal;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.xex.runtime.engine.RuntimeMetric;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Where the machine's time went during a phase: the whole machine's CPU from {@code /proc/stat}; this JVM's CPU
 * time; the benchmark's PostgreSQL's (its postmaster and every process it started); the kernel's (its threads, such
 * as the file system's journal, and interrupt handling, such as loopback TCP); so that what is left is other
 * processes, which a benchmark on a shared machine must show. And the journal writer's meters (writes, rows, commit
 * time, snapshots). Two samples make a {@link Between}. Linux only: elsewhere the CPU figures are zero.
 *
 * <p>Immutable; samples may be taken on any thread.
 */
public final class Usage {
    private static final Path PROC = Path.of("/proc");
    private static final Path PROC_STAT = PROC.resolve("stat");
    private static final int CPUS = Runtime.getRuntime().availableProcessors();
    /** USER_HZ, the unit of {@code /proc} CPU times: 100 on every Linux architecture Java runs on. */
    private static final int TICKS_PER_SECOND = 100;
    private static final long KTHREADD_PID = 2;

    private final long postmasterPid;
    private final MeterRegistry registry;

    /**
     * @param postmasterPid the benchmark's PostgreSQL server, 0 for none
     * @param registry      where the runtime registers its meters
     */
    public Usage(long postmasterPid, MeterRegistry registry) {
        this.postmasterPid = postmasterPid;
        this.registry = registry;
    }

    /**
     * One moment: {@code System.nanoTime()}, the machine's CPU ticks (busy, in I/O wait, all; zero when
     * {@code /proc/stat} cannot be read), this process's CPU time, PostgreSQL's CPU ticks, the journal meters, and the
     * sequences the journal made durable and history has written up to (zero before a runtime registered them).
     */
    public record Sample(long nanoTime, long cpuBusyTicks, long cpuIowaitTicks, long cpuTotalTicks, long processCpuNs,
                  long postgresTicks, long kernelTicks, long gcPauses, long gcPauseMs, long journalWrites,
                  double journalRows, double journalCommitNs, long snapshots, double snapshotNs,
                  Map<String, Long> threadCpuNs, long durableSequence, long historyCursor) {
    }

    /** What happened between two samples. */
    public record Between(Sample start, Sample end) {
        public double seconds() {
            return (end.nanoTime() - start.nanoTime()) / 1e9;
        }

        /** CPUs the whole machine kept busy, on average (at most nproc). */
        public double machineBusyCpus() {
            long total = end.cpuTotalTicks() - start.cpuTotalTicks();
            return total == 0 ? Double.NaN : (double) (end.cpuBusyTicks() - start.cpuBusyTicks()) / total * CPUS;
        }

        /** CPUs idle while waiting for I/O, on average. */
        public double iowaitCpus() {
            long total = end.cpuTotalTicks() - start.cpuTotalTicks();
            return total == 0 ? Double.NaN : (double) (end.cpuIowaitTicks() - start.cpuIowaitTicks()) / total * CPUS;
        }

        /** CPUs this JVM kept busy, on average. */
        public double jvmCpus() {
            return (end.processCpuNs() - start.processCpuNs()) / 1e9 / seconds();
        }

        /** CPUs the benchmark's PostgreSQL kept busy, on average. */
        public double postgresCpus() {
            return (double) (end.postgresTicks() - start.postgresTicks()) / TICKS_PER_SECOND / seconds();
        }

        /** CPUs the kernel kept busy in its own threads and in interrupts, on average. */
        public double kernelCpus() {
            return (double) (end.kernelTicks() - start.kernelTicks()) / TICKS_PER_SECOND / seconds();
        }

        /** CPUs kept busy by anything else: other processes. */
        public double otherCpus() {
            return Math.max(0, machineBusyCpus() - jvmCpus() - postgresCpus() - kernelCpus());
        }

        public long journalWrites() {
            return end.journalWrites() - start.journalWrites();
        }

        public double meanJournalBatch() {
            long writes = journalWrites();
            return writes == 0 ? Double.NaN : (end.journalRows() - start.journalRows()) / writes;
        }

        public double meanCommitMs() {
            long writes = journalWrites();
            return writes == 0 ? Double.NaN : (end.journalCommitNs() - start.journalCommitNs()) / writes / 1e6;
        }

        public long snapshots() {
            return end.snapshots() - start.snapshots();
        }

        /** Time the matching thread spent writing snapshots (it applies no command meanwhile). */
        public double snapshotMs() {
            return (end.snapshotNs() - start.snapshotNs()) / 1e6;
        }

        /** Durable commands history had not written yet at the end: its backlog, held in memory. */
        public long historyBacklog() {
            return Math.max(0, end.durableSequence() - end.historyCursor());
        }

        /** Collector pauses (concurrent cycles are not counted). */
        public long gcPauses() {
            return end.gcPauses() - start.gcPauses();
        }

        public long gcPauseMs() {
            return end.gcPauseMs() - start.gcPauseMs();
        }

        /** The {@code n} busiest threads of this JVM, busiest first, with the CPUs each kept busy on average. */
        public List<Map.Entry<String, Double>> busiestThreads(int n) {
            List<Map.Entry<String, Double>> threads = new ArrayList<>();
            end.threadCpuNs().forEach((name, ns) -> {
                long before = start.threadCpuNs().getOrDefault(name, 0L);
                threads.add(Map.entry(name, (ns - before) / 1e9 / seconds()));
            });
            threads.sort(Map.Entry.<String, Double>comparingByValue().reversed());
            return threads.subList(0, Math.min(n, threads.size()));
        }
    }

    /** The pid in the first line of a PostgreSQL data directory's {@code postmaster.pid}, 0 when unreadable. */
    public static long postmasterPid(Path dataDirectory) {
        try {
            return Long.parseLong(Files.readAllLines(dataDirectory.resolve("postmaster.pid"), StandardCharsets.US_ASCII)
                .getFirst().trim());
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    public Sample sample() {
        long[] cpu = machineCpuTicks();
        long processCpuNs = ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
            ? os.getProcessCpuTime() : 0;
        DistributionSummary batch = registry.find(RuntimeMetric.JOURNAL_BATCH_SIZE.meterName()).summary();
        Timer commit = registry.find(RuntimeMetric.JOURNAL_COMMIT.meterName()).timer();
        Timer snapshot = registry.find(RuntimeMetric.SNAPSHOT_DURATION.meterName()).timer();
        long writes = batch == null ? 0 : batch.count();
        double rows = batch == null ? 0 : batch.totalAmount();
        double commitNs = commit == null ? 0 : commit.totalTime(TimeUnit.NANOSECONDS);
        long snapshots = snapshot == null ? 0 : snapshot.count();
        double snapshotNs = snapshot == null ? 0 : snapshot.totalTime(TimeUnit.NANOSECONDS);
        long gcPauses = 0;
        long gcPauseMs = 0;
        for (GarbageCollectorMXBean gc : pauseCollectors()) {
            gcPauses += gc.getCollectionCount();
            gcPauseMs += gc.getCollectionTime();
        }
        long[] processes = processTicks();
        return new Sample(System.nanoTime(), cpu[0], cpu[1], cpu[2], processCpuNs, processes[0], processes[1] + cpu[3],
            gcPauses, gcPauseMs, writes, rows, commitNs, snapshots, snapshotNs, threadCpuNs(),
            gaugeValue(RuntimeMetric.JOURNAL_DURABLE_SEQUENCE), gaugeValue(RuntimeMetric.HISTORY_CURSOR));
    }

    private long gaugeValue(RuntimeMetric metric) {
        Gauge gauge = registry.find(metric.meterName()).gauge();
        return gauge == null ? 0 : (long) gauge.value();
    }

    /**
     * The collectors whose counts are pauses: ZGC's and Shenandoah's "... Pauses" beans when there are such (their
     * other beans count concurrent cycles), otherwise all but G1's concurrent one.
     */
    private static List<GarbageCollectorMXBean> pauseCollectors() {
        List<GarbageCollectorMXBean> all = ManagementFactory.getGarbageCollectorMXBeans();
        List<GarbageCollectorMXBean> pauses = all.stream().filter(gc -> gc.getName().endsWith("Pauses")).toList();
        return !pauses.isEmpty() ? pauses : all.stream().filter(gc -> !gc.getName().contains("Concurrent")).toList();
    }

    /** CPU time of every live thread of this JVM by name (threads of one name added up). */
    private static Map<String, Long> threadCpuNs() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        Map<String, Long> cpu = new HashMap<>();
        for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (info != null) {
                long ns = threads.getThreadCpuTime(info.getThreadId());
                if (ns > 0) {
                    cpu.merge(info.getThreadName(), ns, Long::sum);
                }
            }
        }
        return cpu;
    }

    /**
     * From every {@code /proc/<pid>/stat}: PostgreSQL's CPU ticks (the postmaster's with those of its exited
     * children, plus its live children's: backends, WAL writer, checkpointer...) and the kernel threads' (children of
     * kthreadd, pid 2); zeros when unknown.
     */
    private long[] processTicks() {
        long postgres = 0;
        long kernel = 0;
        try (DirectoryStream<Path> pids = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path pid : pids) {
                String[] fields = statFields(pid.resolve("stat"));
                if (fields == null) {
                    continue;
                }
                long self = Long.parseLong(pid.getFileName().toString());
                long parent = Long.parseLong(fields[1]);
                // counted from the state, 0: ppid 1, utime 11, stime 12, cutime 13, cstime 14
                long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
                if (postmasterPid > 0 && self == postmasterPid) {
                    postgres += ticks + Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
                } else if (postmasterPid > 0 && parent == postmasterPid) {
                    postgres += ticks;
                } else if (self == KTHREADD_PID || parent == KTHREADD_PID) {
                    kernel += ticks;
                }
            }
        } catch (IOException | RuntimeException e) {
            return new long[2];
        }
        return new long[] {postgres, kernel};
    }

    /** The fields of a {@code /proc/<pid>/stat} after the command name, or null when the process is gone. */
    private static String[] statFields(Path stat) {
        try {
            String line = Files.readString(stat, StandardCharsets.US_ASCII);
            return line.substring(line.lastIndexOf(')') + 2).trim().split(" ");
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Busy, I/O-wait, total and interrupt (irq and softirq) ticks of all CPUs, from the first line of {@code /proc/stat}. */
    private static long[] machineCpuTicks() {
        try {
            String line = Files.readAllLines(PROC_STAT, StandardCharsets.US_ASCII).getFirst();
            String[] fields = line.trim().split("\\s+");
            // cpu user nice system idle iowait irq softirq steal [guest guest_nice, already in user and nice]
            long total = 0;
            for (int i = 1; i <= 8 && i < fields.length; i++) {
                total += Long.parseLong(fields[i]);
            }
            long idle = Long.parseLong(fields[4]);
            long iowait = Long.parseLong(fields[5]);
            long interrupts = Long.parseLong(fields[6]) + Long.parseLong(fields[7]);
            return new long[] {total - idle - iowait, iowait, total, interrupts};
        } catch (IOException | RuntimeException e) {
            return new long[4];
        }
    }
}
