package io.xex.gateway.binary;

import io.xex.gateway.TestVenue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * For tests: reads one meter of the binary gateway from the venue's {@code /metrics} (Prometheus text on the
 * ops port), so that a test can await what the server did (a connection it noticed closed) rather than guess.
 */
final class Meters {
    static final String CONNECTIONS = "xex_gateway_binary_connections";
    static final String SESSIONS_ESTABLISHED = "xex_gateway_binary_established";
    static final String MALFORMED_FRAMES = "xex_gateway_binary_malformed_total";

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Meters() {
    }

    /** The sum of every sample of {@code name} (Prometheus spelling); 0 if it is not there. */
    static double value(TestVenue venue, String name) {
        String text;
        try {
            text = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + venue.venue.opsPort() + "/metrics"))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
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
}
