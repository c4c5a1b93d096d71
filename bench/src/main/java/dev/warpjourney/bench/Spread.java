package dev.warpjourney.bench;

import java.util.List;

/** A median with its spread over the rounds it came from (NaN readings left out). */
record Spread(double median, double min, double max, int n) {
    static Spread of(List<Double> values) {
        List<Double> v = values.stream()
                .filter(x -> x != null && !Double.isNaN(x))
                .sorted()
                .toList();
        if (v.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN, Double.NaN, 0);
        }
        return new Spread(Results.median(v), v.getFirst(), v.getLast(), v.size());
    }
}
