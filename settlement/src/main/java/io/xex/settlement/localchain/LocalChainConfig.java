package io.xex.settlement.localchain;

import io.xex.runtime.config.ConfigException;
import io.xex.runtime.config.ConfigSource;
import io.xex.settlement.chain.Anvil;

import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * The demo's local chain ({@code settlement.localChain.*}), read and checked before anything starts.
 *
 * @param dir                  where anvil keeps the chain ({@value LocalChain#STATE_FILE}) and the venue the addresses
 *                             of its contracts ({@value LocalChain#DEPLOYMENT_FILE}); relative to the working directory
 * @param anvil                the anvil binary (the npm package's {@code node_modules/.bin/anvil})
 * @param chainId              the chain id anvil runs with ({@code settlement.chain.id})
 * @param blockTimeSeconds     anvil mines each transaction at once and, besides, a block every this many seconds, so
 *                             that confirmations advance while nothing is sent
 * @param stateIntervalSeconds anvil writes its state to {@value LocalChain#STATE_FILE} this often, and when it stops
 */
public record LocalChainConfig(Path dir, Path anvil, long chainId, int blockTimeSeconds, int stateIntervalSeconds) {
    public static final Path DEFAULT_DIR = Path.of("xex-data", "anvil");
    public static final int DEFAULT_BLOCK_TIME_SECONDS = 1;
    public static final int DEFAULT_STATE_INTERVAL_SECONDS = 1;

    /**
     * The {@code settlement.localChain.*} keys; an empty {@code settlement.localChain.anvil} is
     * {@link Anvil#defaultBinary()}, which must be there.
     */
    public static LocalChainConfig from(ConfigSource config) {
        String configured = config.optionalString("settlement.localChain.anvil");
        Path anvil = configured == null ? Anvil.defaultBinary() : path(config, "settlement.localChain.anvil", configured);
        if (!Files.isExecutable(anvil)) {
            throw new ConfigException("settlement.localChain.anvil: " + anvil.toAbsolutePath() + " is not there: run"
                + " `npm install` in settlement/ (./xex run does), or set settlement.localChain = false");
        }
        return new LocalChainConfig(path(config, "settlement.localChain.dir", config.string("settlement.localChain.dir")),
            anvil,
            config.longValue("settlement.chain.id", 1, Long.MAX_VALUE),
            config.intValue("settlement.localChain.blockTimeSeconds", 1, 3_600),
            config.intValue("settlement.localChain.stateIntervalSeconds", 1, 3_600));
    }

    private static Path path(ConfigSource config, String key, String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw config.invalid(key, value, "a path");
        }
    }
}
