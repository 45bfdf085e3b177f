package io.xex.settlement.chain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settlement's gas goal (issue 6): at most 6,000 gas per leg in a batch of 1,000 legs, measured with
 * {@link SettlementGasBenchmark} on a real anvil. Gas does not depend on the machine, so this is an exact check,
 * not a timing; the table is printed for BENCHMARKS.md.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SettlementGasIT {
    static final double MAX_GAS_PER_LEG_AT_1000 = 6_000;

    @Test
    void aThousandLegBatchCostsAtMostSixThousandGasPerLeg() throws Exception {
        SettlementGasBenchmark.Result result;
        try (Anvil anvil = Anvil.start(); ChainClient chain = anvil.client(0)) {
            result = SettlementGasBenchmark.run(chain, SettlementGasBenchmark.DEFAULT_BATCH_LEGS);
        }
        System.out.print(result.table());
        assertEquals(List.of(10, 100, 1_000), result.rows().stream().map(SettlementGasBenchmark.Row::legs).toList());
        SettlementGasBenchmark.Row thousand = result.rows().getLast();
        assertTrue(thousand.settleGasPerLeg() <= MAX_GAS_PER_LEG_AT_1000, result.table());
        assertTrue(thousand.transferGasPerLeg() > 5 * thousand.settleGasPerLeg(), result.table());
    }
}
