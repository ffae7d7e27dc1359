package io.refinery.ops.demo;

import java.util.SplittableRandom;

/**
 * Counter-based randomness: every draw is seeded from a hash of (seed, what, which item, which day),
 * so any day of any series can be generated on its own, in any order, and always comes out the same.
 * That is what lets history and live mode, and any date range, agree record for record.
 */
final class Rng {

    private Rng() {
    }

    /** A generator keyed by the demo seed and the coordinates of what is being generated. */
    static SplittableRandom of(long seed, long... keys) {
        long h = mix(seed ^ 0x9E3779B97F4A7C15L);
        for (long key : keys) {
            h = mix(h ^ (key * 0xBF58476D1CE4E5B9L + 0x94D049BB133111EBL));
        }
        return new SplittableRandom(h);
    }

    /** SplitMix64's finaliser: a bijective, well-avalanching 64-bit mix. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static double uniform(SplittableRandom random, double from, double to) {
        return from + random.nextDouble() * (to - from);
    }

    static int poisson(SplittableRandom random, double mean) {
        if (mean <= 0) {
            return 0;
        }
        if (mean > 30) {
            // Normal approximation: exact enough at this size and O(1).
            return (int) Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
        }
        double limit = Math.exp(-mean);
        double product = random.nextDouble();
        int count = 0;
        while (product > limit) {
            product *= random.nextDouble();
            count++;
        }
        return count;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang; shape below 1 via the boost u^(1/shape). */
    static double gamma(SplittableRandom random, double shape) {
        if (shape < 1) {
            return gamma(random, shape + 1) * Math.pow(random.nextDouble(), 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x = random.nextGaussian();
            double v = 1 + c * x;
            if (v <= 0) {
                continue;
            }
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
                return d * v;
            }
        }
    }

    /** Gamma-Poisson counts: Poisson noise plus day-to-day swings of the rate (smaller dispersion, wilder). */
    static int negativeBinomial(SplittableRandom random, double mean, double dispersion) {
        return poisson(random, mean * gamma(random, dispersion) / dispersion);
    }

    /** 0, 1, 2, ... with P(k) = (1-p)^k p: the extra units of an intermittent order. */
    static int geometric(SplittableRandom random, double p) {
        return (int) Math.floor(Math.log(1 - random.nextDouble()) / Math.log(1 - p));
    }
}
