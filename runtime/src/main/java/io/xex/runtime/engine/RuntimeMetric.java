package io.xex.runtime.engine;

/** The runtime's meters: names, descriptions and tags in one catalogue (STYLE §12). */
public enum RuntimeMetric {
    ENGINE_COMMANDS("xex.engine.commands", "commands the engine applied since start"),
    ENGINE_REJECTS("xex.engine.rejects", "commands the engine rejected since start, by reason (tags: reason, code)"),
    ENGINE_TRADES("xex.engine.trades", "trades since start"),
    ENGINE_SEQUENCE("xex.engine.sequence", "sequence number of the last command the engine applied"),
    ENGINE_REFUSALS("xex.engine.refusals", "commands the runtime refused before the engine saw them (tag: reason)"),
    JOURNAL_COMMIT("xex.journal.commit", "time of one journal write, from statement to commit"),
    JOURNAL_BATCH_SIZE("xex.journal.batch.size", "commands per journal write"),
    JOURNAL_PENDING("xex.journal.pending", "commands accepted and not yet durable"),
    JOURNAL_DURABLE_SEQUENCE("xex.journal.durable.sequence", "sequence number of the last durable command"),
    JOURNAL_AVAILABLE("xex.journal.available", "1 while journal writes succeed, 0 after a failure until one does"),
    JOURNAL_FAILURES("xex.journal.failures", "failed journal writes since start"),
    SNAPSHOT_DURATION("xex.snapshot.duration", "time the matching thread spent writing a snapshot"),
    HISTORY_CURSOR("xex.history.cursor", "sequence number up to which history is written");

    private final String meterName;
    private final String description;

    RuntimeMetric(String meterName, String description) {
        this.meterName = meterName;
        this.description = description;
    }

    public String meterName() {
        return meterName;
    }

    public String description() {
        return description;
    }
}
