package io.refinery.forecasting.leadtime;

import com.oracle.labs.mlrg.olcut.util.Pair;
import java.io.Serial;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.tribuo.Example;
import org.tribuo.Excuse;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Prediction;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;

/**
 * A trained Isolation Forest (Liu, Ting and Zhou, 2008). The anomaly score of an example is
 * {@code s = 2^(-E[h(x)] / c(psi))}: close to 1 for points isolated in a few random cuts, at or
 * below 0.5 for ordinary points. Examples scoring at or above {@link #getThreshold()} are predicted
 * {@link Event.EventType#ANOMALOUS}; the {@link Event} always carries the score.
 *
 * <p>Features missing from a sparse example count as 0, as everywhere in Tribuo; features unknown
 * to the model are ignored.
 */
public final class IsolationForestModel extends Model<Event> {
    @Serial
    private static final long serialVersionUID = 1L;

    private final List<IsolationTree> trees;
    private final int subsampleSize;
    private final double threshold;

    IsolationForestModel(String name, ModelProvenance provenance, ImmutableFeatureMap featureIDMap,
            ImmutableOutputInfo<Event> outputIDInfo, List<IsolationTree> trees, int subsampleSize, double threshold) {
        super(name, provenance, featureIDMap, outputIDInfo, false);
        this.trees = List.copyOf(trees);
        this.subsampleSize = subsampleSize;
        this.threshold = threshold;
    }

    /** Score at or above which an example is predicted anomalous (set from the training contamination). */
    public double getThreshold() {
        return threshold;
    }

    public int getNumTrees() {
        return trees.size();
    }

    @Override
    public Prediction<Event> predict(Example<Event> example) {
        double[] x = new double[featureIDMap.size()];
        int used = denseValues(example, x);
        if (used == 0) {
            throw new IllegalArgumentException("No features found in Example " + example);
        }
        return prediction(example, score(x), used);
    }

    private Prediction<Event> prediction(Example<Event> example, double score, int usedFeatures) {
        Event.EventType type = score >= threshold ? Event.EventType.ANOMALOUS : Event.EventType.EXPECTED;
        return new Prediction<>(new Event(type, score), usedFeatures, example);
    }

    /** Score of a dense row laid out by feature id (used by the trainer to place the threshold). */
    double score(double[] x) {
        double totalPathLength = 0.0;
        for (IsolationTree tree : trees) {
            totalPathLength += tree.pathLength(x);
        }
        return scoreFromMeanPathLength(totalPathLength / trees.size(), subsampleSize);
    }

    static double scoreFromMeanPathLength(double meanPathLength, int subsampleSize) {
        return Math.pow(2.0, -meanPathLength / IsolationTree.averagePathLength(subsampleSize));
    }

    /**
     * Model-wide importance: per feature, the sample mass its splits separate, averaged over trees
     * and normalised to sum to 1. Keyed by {@link Model#ALL_OUTPUTS} as the forest is label-free.
     */
    @Override
    public Map<String, List<Pair<String, Double>>> getTopFeatures(int n) {
        double[] mass = new double[featureIDMap.size()];
        trees.forEach(tree -> tree.accumulateSplitMass(mass));
        return Map.of(ALL_OUTPUTS, ranked(mass, n));
    }

    /**
     * Explains one example: per feature, the share of each tree's sample that the splits on that
     * feature cut away from the example on its path, averaged over trees and normalised to sum to 1.
     * The features that isolate an anomaly early carry most of the share.
     */
    @Override
    public Optional<Excuse<Event>> getExcuse(Example<Event> example) {
        double[] x = new double[featureIDMap.size()];
        int used = denseValues(example, x);
        if (used == 0) {
            return Optional.empty();
        }
        double[] credit = new double[x.length];
        double totalPathLength = 0.0;
        for (IsolationTree tree : trees) {
            totalPathLength += tree.pathLengthCrediting(x, credit);
        }
        double score = scoreFromMeanPathLength(totalPathLength / trees.size(), subsampleSize);
        return Optional.of(new Excuse<>(example, prediction(example, score, used),
                Map.of(ALL_OUTPUTS, ranked(credit, -1))));
    }

    @Override
    protected IsolationForestModel copy(String newName, ModelProvenance newProvenance) {
        // Trees are immutable, so the copy can share them.
        return new IsolationForestModel(newName, newProvenance, featureIDMap, outputIDInfo, trees, subsampleSize,
                threshold);
    }

    private int denseValues(Example<Event> example, double[] x) {
        int used = 0;
        for (Feature feature : example) {
            int id = featureIDMap.getID(feature.getName());
            if (id >= 0) {
                x[id] = feature.getValue();
                used++;
            }
        }
        return used;
    }

    /** Feature names with their share of {@code weights}, largest first; all of them when n < 0. */
    private List<Pair<String, Double>> ranked(double[] weights, int n) {
        double total = 0.0;
        for (double w : weights) {
            total += w;
        }
        List<Pair<String, Double>> shares = new ArrayList<>(weights.length);
        for (int id = 0; id < weights.length; id++) {
            shares.add(new Pair<>(featureIDMap.get(id).getName(), total > 0 ? weights[id] / total : 0.0));
        }
        shares.sort(Comparator.comparing((Pair<String, Double> p) -> p.getB()).reversed()
                .thenComparing(Pair::getA));
        return n < 0 ? shares : shares.subList(0, Math.min(n, shares.size()));
    }
}
