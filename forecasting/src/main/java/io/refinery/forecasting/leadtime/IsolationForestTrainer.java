package io.refinery.forecasting.leadtime;

import com.oracle.labs.mlrg.olcut.config.Config;
import com.oracle.labs.mlrg.olcut.config.PropertyException;
import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.Dataset;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Trainer;
import org.tribuo.anomaly.Event;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.TrainerProvenance;
import org.tribuo.provenance.impl.TrainerProvenanceImpl;

/**
 * Trains an {@link IsolationForestModel}. Unsupervised: the labels of the training examples are
 * ignored, so the data may contain unlabelled anomalies (that is what {@code contamination} is for).
 *
 * <p>Follows Tribuo's conventions for randomised trainers: each {@code train} call draws a split
 * of the seeded generator and bumps the invocation count, which the provenance records, so a model
 * can be reproduced from its provenance alone.
 */
public final class IsolationForestTrainer implements Trainer<Event> {

    @Config(description = "Number of isolation trees in the forest (t in the paper).")
    private int numTrees = 100;

    @Config(description = "Examples sub-sampled without replacement to grow each tree (psi in the paper); "
            + "small samples isolate anomalies better than the full data set.")
    private int subsampleSize = 256;

    @Config(description = "Expected share of anomalies in the training data, in (0, 0.5); the decision "
            + "threshold is placed at this upper quantile of the training scores.")
    private double contamination = 0.03;

    @Config(description = "Seed of the random number generator that draws sub-samples and splits.")
    private long seed = Trainer.DEFAULT_SEED;

    private SplittableRandom rng;
    private int trainInvocationCounter;

    /** For OLCUT configuration, which sets the fields and then calls {@link #postConfig()}. */
    private IsolationForestTrainer() {
    }

    public IsolationForestTrainer(int numTrees, int subsampleSize, double contamination, long seed) {
        this.numTrees = numTrees;
        this.subsampleSize = subsampleSize;
        this.contamination = contamination;
        this.seed = seed;
        postConfig();
    }

    @Override
    public synchronized void postConfig() {
        if (numTrees < 1) {
            throw new PropertyException("", "numTrees", "numTrees must be positive, found " + numTrees);
        }
        if (subsampleSize < 2) {
            throw new PropertyException("", "subsampleSize", "subsampleSize must be at least 2, found " + subsampleSize);
        }
        if (!(contamination > 0.0 && contamination < 0.5)) {
            throw new PropertyException("", "contamination",
                    "contamination must be in (0, 0.5), found " + contamination);
        }
        rng = new SplittableRandom(seed);
        trainInvocationCounter = 0;
    }

    @Override
    public IsolationForestModel train(Dataset<Event> examples) {
        return train(examples, Map.of());
    }

    @Override
    public IsolationForestModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance) {
        return train(examples, runProvenance, INCREMENT_INVOCATION_COUNT);
    }

    @Override
    public IsolationForestModel train(Dataset<Event> examples, Map<String, Provenance> runProvenance,
            int invocationCount) {
        if (examples.size() == 0) {
            throw new IllegalArgumentException("Cannot train an isolation forest on an empty dataset");
        }
        SplittableRandom localRng;
        TrainerProvenance trainerProvenance;
        synchronized (this) {
            if (invocationCount != INCREMENT_INVOCATION_COUNT) {
                setInvocationCount(invocationCount);
            }
            localRng = rng.split();
            trainerProvenance = getProvenance();
            trainInvocationCounter++;
        }
        ImmutableFeatureMap featureMap = examples.getFeatureIDMap();
        double[][] rows = denseRows(examples, featureMap);
        int sampleSize = Math.min(subsampleSize, rows.length);
        // The paper's height limit: the average depth of an unsuccessful search, beyond which
        // growing further only refines the (uninteresting) ordinary points.
        int heightLimit = (int) Math.ceil(Math.log(Math.max(sampleSize, 2)) / Math.log(2));
        List<IsolationTree> trees = new ArrayList<>(numTrees);
        for (int t = 0; t < numTrees; t++) {
            int[] sample = sampleWithoutReplacement(rows.length, sampleSize, localRng);
            trees.add(IsolationTree.grow(rows, sample, heightLimit, localRng));
        }
        ModelProvenance provenance = new ModelProvenance(IsolationForestModel.class.getName(), OffsetDateTime.now(),
                examples.getProvenance(), trainerProvenance, runProvenance);
        IsolationForestModel unthresholded = new IsolationForestModel("isolation-forest", provenance, featureMap,
                examples.getOutputIDInfo(), trees, sampleSize, Double.POSITIVE_INFINITY);
        double threshold = upperQuantile(rows, unthresholded);
        return new IsolationForestModel("isolation-forest", provenance, featureMap, examples.getOutputIDInfo(), trees,
                sampleSize, threshold);
    }

    private double upperQuantile(double[][] rows, IsolationForestModel model) {
        double[] scores = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            scores[i] = model.score(rows[i]);
        }
        Arrays.sort(scores);
        int index = (int) Math.floor((1.0 - contamination) * (scores.length - 1));
        return scores[index];
    }

    private static double[][] denseRows(Dataset<Event> examples, ImmutableFeatureMap featureMap) {
        double[][] rows = new double[examples.size()][];
        int i = 0;
        for (Example<Event> example : examples) {
            double[] row = new double[featureMap.size()];
            for (Feature feature : example) {
                row[featureMap.getID(feature.getName())] = feature.getValue();
            }
            rows[i++] = row;
        }
        return rows;
    }

    /** Partial Fisher-Yates shuffle: the first {@code k} slots become a uniform sample. */
    private static int[] sampleWithoutReplacement(int n, int k, SplittableRandom rng) {
        int[] indices = new int[n];
        for (int i = 0; i < n; i++) {
            indices[i] = i;
        }
        for (int i = 0; i < k; i++) {
            int j = i + rng.nextInt(n - i);
            int swap = indices[i];
            indices[i] = indices[j];
            indices[j] = swap;
        }
        return Arrays.copyOf(indices, k);
    }

    @Override
    public int getInvocationCount() {
        return trainInvocationCounter;
    }

    @Override
    public synchronized void setInvocationCount(int invocationCount) {
        if (invocationCount < 0) {
            throw new IllegalArgumentException("The supplied invocationCount is less than zero.");
        }
        rng = new SplittableRandom(seed);
        for (trainInvocationCounter = 0; trainInvocationCounter < invocationCount; trainInvocationCounter++) {
            rng.split();
        }
    }

    @Override
    public TrainerProvenance getProvenance() {
        return new TrainerProvenanceImpl(this);
    }

    @Override
    public String toString() {
        return "IsolationForestTrainer(numTrees=" + numTrees + ",subsampleSize=" + subsampleSize
                + ",contamination=" + contamination + ",seed=" + seed + ")";
    }
}
