package io.xex.matching.replay;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The shipped small stream (copied from shared/bench) replays to exchange-core's tape and final books. */
class ReplayTest {

    @Test
    void smallStreamTapeIsByteIdenticalToTheReference() throws IOException {
        ReplayMain.Report report = ReplayMain.run(stream("small.csv"), 1, 0);
        ByteArrayOutputStream tape = new ByteArrayOutputStream();
        ReplayMain.writeTape(report.replayer(), tape);
        assertArrayEquals(resource("small.tape.csv"), tape.toByteArray());
    }

    @Test
    void smallStreamFinalBooksAndCountsEqualTheReference() throws IOException {
        ReplayMain.Report report = ReplayMain.run(stream("small.csv"), 1, 0);
        List<String> printed = print(report);
        List<String> expected = new String(resource("small.expected.txt"), StandardCharsets.US_ASCII).lines().toList();

        List<String> books = printed.stream().filter(l -> l.startsWith("final book ")).toList();
        assertEquals(expected.stream().filter(l -> l.startsWith("final book ")).toList(), books);
        String counts = printed.stream().filter(l -> l.startsWith("cancel ok=")).findFirst().orElseThrow();
        String expectedCounts = expected.stream().filter(l -> l.startsWith("cancel ok=")).findFirst().orElseThrow();
        assertTrue(expectedCounts.startsWith(counts + " "), counts + " is not a prefix of " + expectedCounts);
        assertTrue(printed.getLast().matches("commands=2549 trades=1110 seconds=\\d+\\.\\d{6} throughput=\\d+"),
            printed.getLast());
    }

    @Test
    void everyPassOnAFreshOrResetEngineEndsInTheSameState() throws IOException {
        Replayer replayer = new Replayer(stream("small.csv"));
        replayer.runAll();
        long hash = replayer.engine().stateHash();
        long trades = replayer.trades();
        long[] tape = Arrays.copyOf(replayer.tape(), (int) trades * 4);

        replayer.resetEngine();
        replayer.runAll();
        assertEquals(hash, replayer.engine().stateHash());
        assertArrayEquals(tape, Arrays.copyOf(replayer.tape(), (int) trades * 4));

        replayer.freshEngine();
        for (int i = 0; i < replayer.stream().size(); i++) {
            replayer.apply(i);
        }
        assertEquals(hash, replayer.engine().stateHash());
        assertEquals(trades, replayer.trades());
    }

    /**
     * No allocation per command: after warm-up no pass over the stream allocates as much as one byte per
     * command, and passes allocate nothing at all once the JIT has settled. (The JIT itself may allocate a
     * few bytes on this thread in a pass, e.g. when it deoptimises and rebuilds an object it had
     * eliminated; that is why not every single pass is required to be zero.)
     */
    @Test
    void passesOnAResetEngineAllocateNothingPerCommand() throws IOException {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        assumeTrue(threads instanceof com.sun.management.ThreadMXBean, "needs HotSpot's per-thread allocation counter");
        com.sun.management.ThreadMXBean counter = (com.sun.management.ThreadMXBean) threads;
        long thread = Thread.currentThread().threadId();
        Replayer replayer = new Replayer(stream("small.csv"));
        int commands = replayer.stream().size();
        for (int warmup = 0; warmup < 20; warmup++) {
            replayer.resetEngine();
            replayer.runAll();
        }
        int zeroPasses = 0;
        for (int pass = 0; pass < 10; pass++) {
            replayer.resetEngine();
            long before = counter.getThreadAllocatedBytes(thread);
            replayer.runAll();
            long allocated = counter.getThreadAllocatedBytes(thread) - before;
            assertTrue(allocated < commands, "pass " + pass + " allocated " + allocated + " bytes for " + commands + " commands");
            if (allocated == 0) {
                zeroPasses++;
            }
        }
        assertTrue(zeroPasses >= 5, "only " + zeroPasses + " of 10 passes allocated nothing");
    }

    @Test
    void malformedStreamsAreRefusedWithTheLine() {
        IOException header = assertThrows(IOException.class, () -> parse("seq,op\n1,NEW,1,1,X,BUY,GTC,1,1\n"));
        assertTrue(header.getMessage().contains("line 1"), header.getMessage());
        IOException fields = assertThrows(IOException.class, () -> parse(OrderStream.HEADER + "\n1,NEW,1,1,X,BUY,GTC,1\n"));
        assertTrue(fields.getMessage().contains("line 2: expected 9 fields"), fields.getMessage());
        IOException gap = assertThrows(IOException.class, () -> parse(OrderStream.HEADER + "\n2,NEW,1,1,X,BUY,GTC,1,1\n"));
        assertTrue(gap.getMessage().contains("seq 2 out of order"), gap.getMessage());
        IOException side = assertThrows(IOException.class, () -> parse(OrderStream.HEADER + "\n1,NEW,1,1,X,HOLD,GTC,1,1\n"));
        assertTrue(side.getMessage().contains("bad side HOLD"), side.getMessage());
        IOException number = assertThrows(IOException.class, () -> parse(OrderStream.HEADER + "\n1,NEW,1,1,X,BUY,GTC,x,1\n"));
        assertTrue(number.getMessage().contains("bad number"), number.getMessage());
    }

    private static OrderStream parse(String text) throws IOException {
        return OrderStream.read(new java.io.ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "test");
    }

    private static List<String> print(ReplayMain.Report report) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        report.print(new PrintStream(out, true, StandardCharsets.US_ASCII));
        return out.toString(StandardCharsets.US_ASCII).lines().toList();
    }

    private static OrderStream stream(String name) throws IOException {
        try (InputStream in = ReplayTest.class.getResourceAsStream("/" + name)) {
            return OrderStream.read(in, name);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ReplayTest.class.getResourceAsStream("/" + name)) {
            return in.readAllBytes();
        }
    }
}
