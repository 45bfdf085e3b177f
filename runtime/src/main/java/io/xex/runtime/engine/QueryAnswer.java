package io.xex.runtime.engine;

/**
 * What a read-only question about the engine found, and the sequence number of the last command the
 * engine had applied when it was asked: the answer reflects exactly the commands up to {@code sequence},
 * all of them durable by the time the answer is delivered.
 */
public record QueryAnswer<T>(long sequence, T value) {
}
