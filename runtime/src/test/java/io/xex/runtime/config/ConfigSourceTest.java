package io.xex.runtime.config;

import io.xex.matching.InstrumentSpec;
import io.xex.matching.TradingState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigSourceTest {

    @Test
    void defaultsThenFileThenEnvironment(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("xex.properties");
        Files.writeString(file, "ops.port = 9100\njournal.batch.max = 100\n");
        ConfigSource config = ConfigSource.load(file, Map.of("XEX_OPS_PORT", "9200"));
        assertEquals(9200, config.intValue("ops.port", 0, 65535));
        assertEquals("environment variable XEX_OPS_PORT", config.origin("ops.port"));
        assertEquals(100, config.intValue("journal.batch.max", 1, 1000));
        assertEquals(file.toString(), config.origin("journal.batch.max"));
        assertEquals(50_000, config.intValue("journal.pending.max", 1, 1 << 26));
        assertEquals("built-in defaults", config.origin("journal.pending.max"));
    }

    @Test
    void everyKeyHasItsEnvironmentVariable() {
        assertEquals("XEX_DB_URL", ConfigSource.environmentName("db.url"));
        assertEquals("XEX_INSTRUMENT_TSLAX_REFERENCEPRICE", ConfigSource.environmentName("instrument.TSLAx.referencePrice"));
        ConfigSource config = ConfigSource.load(null, Map.of("XEX_DB_URL", "postgresql://h:1/x"));
        assertEquals("postgresql://h:1/x", config.optionalString("db.url"));
        assertNull(ConfigSource.load(null, Map.of()).optionalString("db.url"), "empty by default: embedded");
    }

    @Test
    void badValuesNameTheKeyTheValueAndWhereItCameFrom() {
        ConfigSource config = ConfigSource.load(null, Map.of("XEX_OPS_PORT", "eighty"));
        ConfigException e = assertThrows(ConfigException.class, () -> OpsConfig.from(config));
        assertEquals("ops.port = 'eighty' (from environment variable XEX_OPS_PORT) is not a whole number", e.getMessage());
        ConfigException range = assertThrows(ConfigException.class,
            () -> OpsConfig.from(ConfigSource.load(null, Map.of("XEX_OPS_PORT", "70000"))));
        assertTrue(range.getMessage().contains("in 0..65535"), range.getMessage());
        assertThrows(ConfigException.class,
            () -> JournalConfig.from(ConfigSource.load(null, Map.of("XEX_JOURNAL_PENDING_MAX", "10"))),
            "pending.max below batch.max");
    }

    @Test
    void theDemoInstrumentsConvertExactlyIntoEngineUnits() {
        InstrumentCatalog catalog = InstrumentCatalog.from(ConfigSource.load(null, Map.of()));
        assertEquals(10, catalog.instruments().size());
        assertEquals("TSLAx/USDT", catalog.instruments().getFirst().symbol());
        assertEquals("TSLA", catalog.find("TSLAx").underlying());
        InstrumentSpec tsla = catalog.engine().instruments().getFirst();
        // USDT 6 decimals: tick 0.01 = 10,000 units; TSLAx 8 decimals: lot 0.001 = 100,000 units
        assertEquals(10_000, tsla.tickSize());
        assertEquals(100_000, tsla.lotSize());
        assertEquals(1, tsla.minQuantity());
        assertEquals(100_000_000, tsla.maxQuantity(), "100,000 shares in lots of 0.001");
        assertEquals(5_000_000, tsla.minNotional(), "5 USDT in micro-USDT");
        assertEquals(42_000, tsla.initialReferencePrice(), "420.00 in ticks of 0.01");
        assertEquals(TradingState.OPEN, tsla.initialState());
        assertEquals(1_000, tsla.bands().entryBps());
        assertEquals(60_000_000_000L, tsla.bands().guardWindowNs());
        assertEquals(new BigDecimal("5000"), catalog.find("TSLAx/USDT").primaryMinimum());
        assertEquals(11, catalog.engine().assets().size(), "USDT and ten xStocks");
    }

    @Test
    void anAmountThatIsNotAWholeNumberOfUnitsIsRefusedNotRounded() {
        ConfigException price = assertThrows(ConfigException.class, () -> InstrumentCatalog.from(
            ConfigSource.load(null, Map.of("XEX_INSTRUMENT_TSLAX_REFERENCEPRICE", "420.005"))));
        assertEquals("instrument.TSLAx.referencePrice = '420.005' (from environment variable "
            + "XEX_INSTRUMENT_TSLAX_REFERENCEPRICE) is not a whole number of ticks of 0.01", price.getMessage());
        ConfigException lot = assertThrows(ConfigException.class, () -> InstrumentCatalog.from(
            ConfigSource.load(null, Map.of("XEX_INSTRUMENT_DEFAULT_LOTSIZE", "0.000000001"))));
        assertTrue(lot.getMessage().contains("a whole number of units at 8 decimals"), lot.getMessage());
        ConfigException state = assertThrows(ConfigException.class, () -> InstrumentCatalog.from(
            ConfigSource.load(null, Map.of("XEX_INSTRUMENT_NVDAX_STATE", "SLEEPING"))));
        assertTrue(state.getMessage().contains("instrument.NVDAx.state"), state.getMessage());
    }

    @Test
    void aPerInstrumentKeyOverridesTheDefault() {
        InstrumentCatalog catalog = InstrumentCatalog.from(ConfigSource.load(null,
            Map.of("XEX_INSTRUMENTS", "TSLAx,NVDAx", "XEX_INSTRUMENT_NVDAX_BANDS", "false")));
        assertEquals(2, catalog.instruments().size());
        assertNull(catalog.engine().instruments().get(1).bands());
        assertEquals(1_000, catalog.engine().instruments().get(0).bands().entryBps());
    }
}
