package io.xex.runtime.config;

/**
 * When the engine's whole state is saved, and how many saved states are kept.
 *
 * @param everyCommands a snapshot after this many commands ...
 * @param everySeconds  ... or this long, whichever comes first (and one at every clean stop)
 * @param keep          snapshots kept; older ones are deleted
 */
public record SnapshotConfig(long everyCommands, long everySeconds, int keep) {
    public SnapshotConfig {
        if (everyCommands <= 0 || everySeconds <= 0 || keep < 1) {
            throw new ConfigException("snapshot: everyCommands, everySeconds and keep must be positive");
        }
    }

    public static SnapshotConfig from(ConfigSource config) {
        return new SnapshotConfig(config.longValue("snapshot.everyCommands", 1, Long.MAX_VALUE),
            config.longValue("snapshot.everySeconds", 1, 86_400L * 365), config.intValue("snapshot.keep", 1, 1_000));
    }
}
