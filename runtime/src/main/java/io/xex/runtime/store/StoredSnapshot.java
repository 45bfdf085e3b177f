package io.xex.runtime.store;

/** A saved engine state: the sequence it is at, when that command was sequenced, its hash and its bytes. */
public record StoredSnapshot(long sequence, long timestampNs, long stateHash, byte[] state) {
}
