package io.xex.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * For tests: reads one meter from the venue's {@code /metrics} (Prometheus text on the ops port), so that a
 * test can await what the server did (a connection closed, a slow reader dropped) rather than guess.
 */
public final class OpsMetrics {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private OpsMetrics() {
    }

    /**
     * The sum of every sample of {@code name} (Prometheus spelling, e.g. {@code xex_gateway_ws_sessions} or
     * {@code xex_gateway_ws_idle_disconnects_total}); 0 if it is not there.
     */
    public static double value(TestVenue venue, String name) {
        String text;
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + venue.venue.opsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            text = response.body();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot read /metrics", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted reading /metrics", e);
        }
        double sum = 0;
        for (String line : text.split("\n")) {
            if (line.startsWith("#")) {
                continue;
            }
            int end = line.indexOf('{');
            if (end < 0) {
                end = line.indexOf(' ');
            }
            if (end > 0 && line.substring(0, end).equals(name)) {
                sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return sum;
    }

    public static long sessions(TestVenue venue) {
        return (long) value(venue, "xex_gateway_ws_sessions");
    }
}
