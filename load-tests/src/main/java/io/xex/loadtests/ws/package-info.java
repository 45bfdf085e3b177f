/**
 * The order round trip over WebSocket: {@code order.place} through the trader gateway of the whole venue (durable
 * acknowledgements), beside a bare Vert.x WebSocket echo server, with one client harness, in one run
 * ({@link io.xex.loadtests.ws.WsBenchmark}, {@code ./xex bench-ws}).
 *
 * <p>{@link io.xex.loadtests.ws.OpenLoad} runs one offered rate over several {@link io.xex.loadtests.ws.Connection}s
 * with the open-model harness of {@link io.xex.loadtests.roundtrip}; {@link io.xex.loadtests.ws.OrderTexts} makes the
 * requests, {@link io.xex.loadtests.ws.Responses} reads the answers without a JSON parser,
 * {@link io.xex.loadtests.ws.EchoServer} is the baseline.
 */
package io.xex.loadtests.ws;
