package io.refinery.forecasting.leadtime;

import java.io.Serial;
import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * One isolation tree, stored as flat arrays (node i: split feature, split value, children, sample
 * size) so a forest of a few hundred trees stays compact and cheap to serialize.
 */
final class IsolationTree implements Serializable {
    @Serial
    private static final long serialVersionUID = 1L;

    private static final int LEAF = -1;
    private static final double EULER_GAMMA = 0.5772156649015329;

    private final int[] splitFeature;
    private final double[] splitValue;
    private final int[] left;
    private final int[] right;
    private final int[] size;

    private IsolationTree(int[] splitFeature, double[] splitValue, int[] left, int[] right, int[] size) {
        this.splitFeature = splitFeature;
        this.splitValue = splitValue;
        this.left = left;
        this.right = right;
        this.size = size;
    }

    /**
     * Average path length of an unsuccessful binary-search-tree search among {@code n} points: the
     * normaliser c(n) of the Isolation Forest paper, also the expected remaining depth below a leaf
     * that still holds {@code n} points because the height limit stopped the growth.
     */
    static double averagePathLength(int n) {
        if (n <= 1) {
            return 0.0;
        }
        if (n == 2) {
            return 1.0;
        }
        double harmonic = Math.log(n - 1.0) + EULER_GAMMA;
        return 2.0 * harmonic - 2.0 * (n - 1.0) / n;
    }

    /** Grows a tree on {@code sample} (row indices into {@code points}, reordered in place). */
    static IsolationTree grow(double[][] points, int[] sample, int heightLimit, SplittableRandom rng) {
        Builder builder = new Builder(points, rng, heightLimit, 2 * sample.length);
        builder.grow(sample, 0, sample.length, 0);
        return builder.build();
    }

    /** Path length h(x): edges to the leaf plus c(leaf size) for the points it did not separate. */
    double pathLength(double[] x) {
        int node = 0;
        int depth = 0;
        while (splitFeature[node] != LEAF) {
            node = x[splitFeature[node]] < splitValue[node] ? left[node] : right[node];
            depth++;
        }
        return depth + averagePathLength(size[node]);
    }

    /**
     * {@link #pathLength} that also adds, per feature, the share of this tree's sample that the
     * splits on that feature cut away from {@code x} on its way to the leaf: a point isolated by one early cut on a feature gets
     * nearly all of its credit there, an inlier spreads small credits over many features.
     */
    double pathLengthCrediting(double[] x, double[] creditPerFeature) {
        int node = 0;
        int depth = 0;
        double rootSize = size[0];
        while (splitFeature[node] != LEAF) {
            int child = x[splitFeature[node]] < splitValue[node] ? left[node] : right[node];
            creditPerFeature[splitFeature[node]] += (size[node] - size[child]) / rootSize;
            node = child;
            depth++;
        }
        return depth + averagePathLength(size[node]);
    }

    /** Adds, per feature, the share of the sample that splits on it separated (model-wide importance). */
    void accumulateSplitMass(double[] massPerFeature) {
        double rootSize = size[0];
        for (int node = 0; node < splitFeature.length; node++) {
            if (splitFeature[node] != LEAF) {
                massPerFeature[splitFeature[node]] += size[node] / rootSize;
            }
        }
    }

    private static final class Builder {
        private final double[][] points;
        private final SplittableRandom rng;
        private final int heightLimit;
        private final int featureCount;
        private int[] splitFeature;
        private double[] splitValue;
        private int[] left;
        private int[] right;
        private int[] size;
        private int nodeCount;

        Builder(double[][] points, SplittableRandom rng, int heightLimit, int capacity) {
            this.points = points;
            this.rng = rng;
            this.heightLimit = heightLimit;
            this.featureCount = points[0].length;
            splitFeature = new int[capacity];
            splitValue = new double[capacity];
            left = new int[capacity];
            right = new int[capacity];
            size = new int[capacity];
        }

        int grow(int[] sample, int from, int to, int depth) {
            int node = nodeCount++;
            size[node] = to - from;
            splitFeature[node] = LEAF;
            if (to - from <= 1 || depth >= heightLimit) {
                return node;
            }
            // Drawing only among features that vary inside the node keeps constant columns (for
            // example an unused category) from ending branches early and wasting the depth budget.
            int[] varying = new int[featureCount];
            double[] min = new double[featureCount];
            double[] max = new double[featureCount];
            int varyingCount = 0;
            for (int f = 0; f < featureCount; f++) {
                double lo = Double.POSITIVE_INFINITY;
                double hi = Double.NEGATIVE_INFINITY;
                for (int i = from; i < to; i++) {
                    double v = points[sample[i]][f];
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
                if (hi > lo) {
                    varying[varyingCount++] = f;
                    min[f] = lo;
                    max[f] = hi;
                }
            }
            if (varyingCount == 0) {
                return node;
            }
            int feature = varying[rng.nextInt(varyingCount)];
            double value = min[feature] + rng.nextDouble() * (max[feature] - min[feature]);
            if (value <= min[feature]) {
                // nextDouble() can return 0; the split must leave at least one point on each side.
                value = Math.nextUp(min[feature]);
            }
            int boundary = partition(sample, from, to, feature, value);
            splitFeature[node] = feature;
            splitValue[node] = value;
            left[node] = grow(sample, from, boundary, depth + 1);
            right[node] = grow(sample, boundary, to, depth + 1);
            return node;
        }

        private int partition(int[] sample, int from, int to, int feature, double value) {
            int boundary = from;
            for (int i = from; i < to; i++) {
                if (points[sample[i]][feature] < value) {
                    int swap = sample[boundary];
                    sample[boundary] = sample[i];
                    sample[i] = swap;
                    boundary++;
                }
            }
            return boundary;
        }

        IsolationTree build() {
            return new IsolationTree(Arrays.copyOf(splitFeature, nodeCount), Arrays.copyOf(splitValue, nodeCount),
                    Arrays.copyOf(left, nodeCount), Arrays.copyOf(right, nodeCount), Arrays.copyOf(size, nodeCount));
        }
    }
}
