package io.xex.runtime.store;

/** One journaled command: its sequence, when it was sequenced and its encoded bytes. */
public record JournalEntry(long sequence, long timestampNs, byte[] command) {
}
