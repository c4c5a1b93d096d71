package dev.warpjourney.bench;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What one wrk run reported through report.lua. Latencies in microseconds.
 *
 * @param nonSuccess   responses with a status of 400 or more (wrk counts status > 399)
 * @param socketErrors connect, read, write and timeout errors together
 * @param clientCpuSeconds user + system CPU seconds wrk itself used (NaN when unknown, as in Docker):
 *                     tells whether the load generator, rather than the server, was the limit
 */
record WrkResult(
        long requests,
        long durationMicros,
        long bytes,
        long nonSuccess,
        long socketErrors,
        long p50,
        long p90,
        long p99,
        long p999,
        double mean,
        double clientCpuSeconds) {

    WrkResult(
            long requests,
            long durationMicros,
            long bytes,
            long nonSuccess,
            long socketErrors,
            long p50,
            long p90,
            long p99,
            long p999,
            double mean) {
        this(requests, durationMicros, bytes, nonSuccess, socketErrors, p50, p90, p99, p999, mean, Double.NaN);
    }

    /** The same result with wrk's own CPU time attached. */
    WrkResult withClientCpu(double seconds) {
        return new WrkResult(
                requests, durationMicros, bytes, nonSuccess, socketErrors, p50, p90, p99, p999, mean, seconds);
    }

    /** Responses with a status of 400 or more plus socket errors: any of them and the run is not ranked. */
    long errors() {
        return nonSuccess + socketErrors;
    }

    private static final Pattern LINE = Pattern.compile("JOURNEY (\\{.*})");

    double requestsPerSecond() {
        return durationMicros == 0 ? 0 : requests * 1e6 / durationMicros;
    }

    static WrkResult parse(String output) {
        Matcher m = LINE.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("wrk printed no JOURNEY line; its output was:\n" + output);
        }
        String json = m.group(1);
        return new WrkResult(
                num(json, "requests"),
                num(json, "duration_us"),
                num(json, "bytes"),
                num(json, "status"),
                num(json, "connect") + num(json, "read") + num(json, "write") + num(json, "timeout"),
                num(json, "p50"),
                num(json, "p90"),
                num(json, "p99"),
                num(json, "p999"),
                dbl(json, "mean"));
    }

    private static long num(String json, String key) {
        return (long) dbl(json, key);
    }

    private static double dbl(String json, String key) {
        Matcher m = Pattern.compile("\"" + key + "\":([-0-9.eE]+|nan|-nan|inf)").matcher(json);
        if (!m.find()) {
            throw new IllegalStateException("no " + key + " in " + json);
        }
        String v = m.group(1);
        return v.contains("nan") || v.contains("inf") ? 0 : Double.parseDouble(v);
    }
}
