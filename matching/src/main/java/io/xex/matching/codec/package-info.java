/**
 * Binary encodings of the engine's values for durable storage: {@link io.xex.matching.codec.CommandCodec}
 * turns every {@link io.xex.matching.Command} into the bytes of one journal entry and back. Formats are
 * versioned and use explicit, stable codes for enums, so that a journal written today still reads the
 * same after the code is reordered or extended.
 *
 * <p>Pure functions over byte arrays: no state, no I/O, safe on any thread.
 */
package io.xex.matching.codec;
