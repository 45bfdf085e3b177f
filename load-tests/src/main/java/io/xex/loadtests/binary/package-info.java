/**
 * The binary order-entry round trip: a NewOrder through the binary gateway of the whole venue to its durable
 * ExecutionReport NEW, over one and over several sessions, beside a bare Vert.x TCP echo server of the same frame
 * sizes, in one run ({@link io.xex.loadtests.binary.BinaryBenchmark}, {@code ./xex bench-binary}).
 *
 * <p>{@link io.xex.loadtests.binary.BinaryLoad} runs one offered rate over fresh sessions with the open-model harness
 * of {@link io.xex.loadtests.roundtrip}: an {@link io.xex.loadtests.binary.OrderSession} per session makes the orders
 * and times their reports, through the project's client library for xex
 * ({@link io.xex.loadtests.binary.ClientSession}) or a raw connection for the echo, which has no session layer
 * ({@link io.xex.loadtests.binary.RawSession}); {@link io.xex.loadtests.binary.BinaryEchoServer} is the baseline, and
 * {@link io.xex.loadtests.binary.Frames} splits frames for both of the latter. Each session is confined to its
 * event-loop context of the client's Vert.x, the echo server to its own.
 */
package io.xex.loadtests.binary;
