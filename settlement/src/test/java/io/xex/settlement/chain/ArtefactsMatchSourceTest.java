package io.xex.settlement.chain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The committed artefacts in contracts/build are what the pinned solc-js makes of the sources today
 * ({@code node contracts/build.mjs --check}, run in the module's directory), and the jar carries them.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class ArtefactsMatchSourceTest {
    @Test
    void committedArtefactsMatchAFreshCompile() throws Exception {
        assertTrue(Files.isDirectory(Path.of("node_modules/solc")),
            "settlement/node_modules/solc is missing: run `npm install` in settlement/ (./xex test does)");
        Process check;
        try {
            check = new ProcessBuilder("node", "contracts/build.mjs", "--check").redirectErrorStream(true).start();
        } catch (IOException e) {
            fail("node is not on the PATH (Node.js 20+ is needed to check the contracts): " + e.getMessage());
            return;
        }
        String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(check.waitFor(90, TimeUnit.SECONDS), "node contracts/build.mjs --check did not finish");
        assertEquals(0, check.exitValue(), "node contracts/build.mjs --check:\n" + output);
    }

    @Test
    void theJarCarriesEveryArtefact() {
        for (String name : ContractArtefact.ALL) {
            ContractArtefact artefact = ContractArtefact.load(name);
            assertTrue(artefact.bytecode().length() > 100, name);
            assertTrue(artefact.abi().size() > 5, name);
        }
    }
}
