package io.xex.gateway.binary;

import io.xex.gateway.TestVenue;
import io.xex.protocol.sbe.ExecType;
import io.xex.protocol.sbe.MessageHeaderDecoder;
import io.xex.protocol.sbe.NewOrderDecoder;
import io.xex.protocol.sbe.Side;
import io.xex.protocol.sbe.ThrottleRejectDecoder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A session over its message rate gets ThrottleRejects, and nothing is done, until its window turns. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ThrottleIT {
    @TempDir
    Path dir;

    @Test
    void messagesOverTheRateAreRefusedUntilTheWindowTurns() throws Exception {
        TestVenue.ManualClock clock = new TestVenue.ManualClock();
        try (TestVenue venue = TestVenue.start(dir, Map.of("XEX_BINARY_MESSAGESPERSECOND", "3"), clock);
             RawClient client = RawClient.connect(venue.binaryPort())) {
            int tsla = venue.instrumentId("TSLAx");
            client.logon(61, "demo-1", venue.demoSecret(1), false, 0);
            for (int i = 0; i < 5; i++) {
                client.send(RawClient.limitOrder("t" + i, tsla, Side.BUY, 40_000 + i, 1_000));
            }
            int accepted = 0;
            int throttled = 0;
            for (int i = 0; i < 5; i++) {
                RawClient.Message m = client.next();
                if (m.templateId() == ThrottleRejectDecoder.TEMPLATE_ID) {
                    ThrottleRejectDecoder reject = new ThrottleRejectDecoder()
                        .wrapAndApplyHeader(m.buffer(), 0, new MessageHeaderDecoder());
                    assertEquals(NewOrderDecoder.TEMPLATE_ID, reject.refTemplateId());
                    assertTrue(reject.clOrdId().equals("t3") || reject.clOrdId().equals("t4"), reject.clOrdId());
                    assertTrue(reject.retryAfterMs() >= 1 && reject.retryAfterMs() <= 1000);
                    throttled++;
                } else {
                    assertEquals(ExecType.NEW, RawClient.Report.of(m).execType());
                    accepted++;
                }
            }
            assertEquals(3, accepted);
            assertEquals(2, throttled);
            assertEquals(3, TestVenue.await(venue.engine().query(e -> {
                int[] n = {0};
                e.forEachOrderOf(1, o -> n[0]++);
                return n[0];
            })).value(), "throttled orders were not entered");

            clock.advance(1_000);
            client.send(RawClient.limitOrder("t5", tsla, Side.BUY, 40_010, 1_000));
            assertEquals("t5", client.nextReport().clOrdId());
        }
    }
}
