/**
 * What the gateway round-trip benchmarks ({@code ws}, {@code binary}) share: the whole venue in this process
 * ({@link io.xex.loadtests.roundtrip.GatewayVenue}); the client's own event loops
 * ({@link io.xex.loadtests.roundtrip.ClientLoops}); the open model — a {@link io.xex.loadtests.roundtrip.Schedule} of
 * due times, a generator thread ({@link io.xex.loadtests.roundtrip.LoadRun}) and connections that send their share and
 * time each answer from its request's due time ({@link io.xex.loadtests.roundtrip.LoadConnection}, counted in a
 * {@link io.xex.loadtests.roundtrip.Tally}, merged into a {@link io.xex.loadtests.roundtrip.RunResult}); and the
 * rate ladder's report beside the echo baseline ({@link io.xex.loadtests.roundtrip.Comparison}).
 *
 * <p>The main thread starts runs and waits; each connection is confined to its event-loop context; the generator
 * thread only posts tasks to them.
 */
package io.xex.loadtests.roundtrip;
