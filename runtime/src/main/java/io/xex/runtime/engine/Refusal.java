package io.xex.runtime.engine;

/**
 * Why the runtime refused a command before the engine saw it. Numbers are stable and on every wire, next to
 * the engine's reject reasons (1xx–4xx): this block is 5xx.
 */
public enum Refusal {
    /** As many commands as the runtime may hold are waiting to be applied and written, with the journal working. */
    RUNTIME_ENGINE_BUSY(501, "engine busy, try again"),
    /** The journal cannot write and holds as many commands as it may: the database is away. */
    RUNTIME_JOURNAL_UNAVAILABLE(502, "journal unavailable, command not accepted"),
    /** The venue is stopping. */
    RUNTIME_SHUTTING_DOWN(503, "venue shutting down, command not accepted"),
    /** The venue is still recovering its state. */
    RUNTIME_STARTING(504, "venue starting, try again"),
    /** The command holds text that cannot be journaled (e.g. an unpaired UTF-16 surrogate); nothing was applied. */
    RUNTIME_MALFORMED_COMMAND(506, "command malformed: text that cannot be stored"),
    /** The matching thread stopped after an internal error; the venue must restart and recover. */
    RUNTIME_ENGINE_FAILED(505, "engine stopped after an internal error, the venue must restart");

    private final int code;
    private final String text;

    Refusal(int code, String text) {
        this.code = code;
        this.text = text;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** The refusal as a failed future's cause: no stack trace, it is an expected outcome. */
    public CommandRefusedException exception() {
        return new CommandRefusedException(this);
    }
}
