package io.refinery.forecasting.leadtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

import com.oracle.labs.mlrg.olcut.config.PropertyException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.SimpleDataSourceProvenance;

class IsolationForestTest {

    private static final String[] NAMES = {"x", "y", "z"};

    /** 1000 points of a correlated Gaussian blob; z is pure noise. */
    private static MutableDataset<Event> inliers(long seed) {
        Random random = new Random(seed);
        AnomalyFactory factory = new AnomalyFactory();
        var dataset = new MutableDataset<>(new SimpleDataSourceProvenance("synthetic blob", factory), factory);
        for (int i = 0; i < 1000; i++) {
            double x = random.nextGaussian();
            double y = 0.8 * x + 0.6 * random.nextGaussian();
            dataset.add(example(x, y, random.nextGaussian()));
        }
        return dataset;
    }

    private static Example<Event> example(double x, double y, double z) {
        return new ArrayExample<>(AnomalyFactory.EXPECTED_EVENT, NAMES, new double[] {x, y, z});
    }

    private static double score(Model<Event> model, double x, double y, double z) {
        return model.predict(example(x, y, z)).getOutput().getScore();
    }

    @Test
    void outliersScoreHigherThanInliersAndAreFlagged() {
        var model = new IsolationForestTrainer(100, 256, 0.02, 7L).train(inliers(1));

        List<Double> inlierScores = new ArrayList<>();
        Random fresh = new Random(99);
        for (int i = 0; i < 200; i++) {
            double x = fresh.nextGaussian() * 0.5;
            inlierScores.add(score(model, x, 0.8 * x, fresh.nextGaussian() * 0.5));
        }
        double worstInlier = inlierScores.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        // Far out along an axis, and against the x-y correlation (harder for axis-parallel cuts).
        assertThat(score(model, 6, 6, 0)).isGreaterThan(worstInlier).isGreaterThan(0.55);
        assertThat(score(model, 0, 0, 7)).isGreaterThan(worstInlier).isGreaterThan(0.55);
        assertThat(score(model, 2, -2, 0)).isGreaterThan(worstInlier);
        assertThat(inlierScores.stream().mapToDouble(Double::doubleValue).average().orElseThrow()).isLessThan(0.5);
        Prediction<Event> farOut = model.predict(example(6, 6, 0));
        assertThat(farOut.getOutput().getType()).isEqualTo(Event.EventType.ANOMALOUS);
        assertThat(model.predict(example(0, 0, 0)).getOutput().getType()).isEqualTo(Event.EventType.EXPECTED);
    }

    @Test
    void sameSeedGivesSameScoresAndAnotherSeedDiffers() {
        var data = inliers(2);
        var first = new IsolationForestTrainer(50, 128, 0.05, 11L).train(data);
        var again = new IsolationForestTrainer(50, 128, 0.05, 11L).train(data);
        var otherSeed = new IsolationForestTrainer(50, 128, 0.05, 12L).train(data);

        for (double[] p : new double[][] {{0, 0, 0}, {1, 2, -1}, {4, 4, 4}}) {
            assertThat(score(again, p[0], p[1], p[2])).isEqualTo(score(first, p[0], p[1], p[2]));
        }
        assertThat(score(otherSeed, 1, 2, -1)).isNotEqualTo(score(first, 1, 2, -1));
        assertThat(again.getThreshold()).isEqualTo(first.getThreshold());
    }

    @Test
    void successiveTrainingsDrawFreshRandomnessButReplayFromTheInvocationCount() {
        var data = inliers(3);
        var trainer = new IsolationForestTrainer(30, 64, 0.05, 5L);
        var firstRun = trainer.train(data);
        var secondRun = trainer.train(data);
        assertThat(score(secondRun, 1, 2, -1)).isNotEqualTo(score(firstRun, 1, 2, -1));

        var replay = new IsolationForestTrainer(30, 64, 0.05, 5L);
        var replayed = replay.train(data, Map.of(), 1);
        assertThat(score(replayed, 1, 2, -1)).isEqualTo(score(secondRun, 1, 2, -1));
    }

    @Test
    void provenanceRecordsTrainerConfigurationSeedAndData() {
        var model = new IsolationForestTrainer(40, 64, 0.05, 1234L).train(inliers(4));

        var trainerProvenance = model.getProvenance().getTrainerProvenance();
        assertThat(trainerProvenance.getClassName()).isEqualTo(IsolationForestTrainer.class.getName());
        assertThat(trainerProvenance.getConfiguredParameters().get("seed").toString()).contains("1234");
        assertThat(trainerProvenance.getConfiguredParameters().get("numTrees").toString()).contains("40");
        assertThat(model.getProvenance().getDatasetProvenance().toString()).contains("synthetic blob");
        assertThat(model.getProvenance().getClassName()).isEqualTo(IsolationForestModel.class.getName());
    }

    @Test
    void invalidConfigurationIsRejected() {
        assertThatThrownBy(() -> new IsolationForestTrainer(0, 256, 0.05, 1L)).isInstanceOf(PropertyException.class);
        assertThatThrownBy(() -> new IsolationForestTrainer(10, 1, 0.05, 1L)).isInstanceOf(PropertyException.class);
        assertThatThrownBy(() -> new IsolationForestTrainer(10, 256, 0.0, 1L)).isInstanceOf(PropertyException.class);
        assertThatThrownBy(() -> new IsolationForestTrainer(10, 256, 0.5, 1L)).isInstanceOf(PropertyException.class);
    }

    @Test
    void excuseCreditsTheFeatureThatIsolatesThePoint() {
        var model = new IsolationForestTrainer(100, 256, 0.02, 7L).train(inliers(5));

        var excuse = model.getExcuse(example(0, 0, 9)).orElseThrow();
        var ranked = excuse.excuse(Model.ALL_OUTPUTS);
        assertThat(ranked.getFirst().getA()).isEqualTo("z");
        assertThat(ranked.getFirst().getB()).isGreaterThan(0.5);
        assertThat(ranked.stream().mapToDouble(p -> p.getB()).sum()).isCloseTo(1.0,
                offset(1e-9));
        assertThat(model.getTopFeatures(2).get(Model.ALL_OUTPUTS)).hasSize(2);
    }

    @Test
    void javaSerializationRoundTripKeepsScores() throws Exception {
        var model = new IsolationForestTrainer(20, 64, 0.05, 3L).train(inliers(6));

        var bytes = new ByteArrayOutputStream();
        try (var out = new ObjectOutputStream(bytes)) {
            out.writeObject(model);
        }
        IsolationForestModel restored;
        try (var in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            restored = (IsolationForestModel) in.readObject();
        }
        assertThat(score(restored, 3, -1, 2)).isEqualTo(score(model, 3, -1, 2));
        assertThat(restored.getProvenance()).isEqualTo(model.getProvenance());
    }
}
