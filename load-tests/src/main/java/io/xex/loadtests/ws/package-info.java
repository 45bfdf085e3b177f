/**
 * The order round trip over WebSocket: {@code order.place} through the trader gateway of the whole venue (durable
 * acknowledgements), beside a bare Vert.x WebSocket echo server, with one client harness, in one run
 * ({@link io.xex.loadtests.ws.WsBenchmark}, {@code ./xex bench-ws}).
 *
 * <p>{@link io.xex.loadtests.ws.OpenLoad} runs one offered rate (open model, latency from each request's due time,
 * {@link io.xex.loadtests.ws.Schedule}) over several {@link io.xex.loadtests.ws.Connection}s of the client's own Vert.x;
 * {@link io.xex.loadtests.ws.OrderTexts} makes the requests, {@link io.xex.loadtests.ws.Responses} reads the answers
 * without a JSON parser, {@link io.xex.loadtests.ws.EchoServer} is the baseline; CPU, GC, threads and the journal's
 * meters come from {@link io.xex.loadtests.journal.Usage}.
 */
package io.xex.loadtests.ws;
