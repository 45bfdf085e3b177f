package io.xex.runtime.ops;

import io.vertx.core.json.JsonObject;
import io.xex.matching.Command;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The admin API's JSON for a corporate action, the one command an operator sends that no client can. */
class RecordJsonTest {

    @Test
    void applyMultiplierReadsAndWritesByItsComponents() {
        JsonObject json = new JsonObject("{\"@type\":\"ApplyMultiplier\",\"asset\":1,\"numerator\":10123,"
            + "\"denominator\":10000}");
        Command.ApplyMultiplier command = new Command.ApplyMultiplier(1, 10_123, 10_000);
        assertEquals(command, RecordJson.decodeCommand(json));
        assertEquals(json, RecordJson.encode(command));
    }
}
