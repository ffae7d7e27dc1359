package io.refinery.forecasting.leadtime;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.tribuo.Excuse;
import org.tribuo.MutableDataset;
import org.tribuo.Prediction;
import org.tribuo.anomaly.AnomalyFactory;
import org.tribuo.anomaly.Event;
import org.tribuo.impl.ArrayExample;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.provenance.SimpleDataSourceProvenance;

/**
 * Flags purchase-order receipts whose lead time is out of character for their supplier and lane.
 *
 * <p>{@link #train} replays the history in receipt order, building each receipt's features from the
 * receipts before it only, and fits an {@link IsolationForestModel}. {@link #score} then handles
 * receipts one by one as they land: it scores the receipt against the history so far and adds it
 * to that history. Scoring mutates the history, so calls are serialised.
 */
public final class LeadTimeAnomalyDetector {

    private static final int DRIVERS_REPORTED = 3;
    private static final int MIN_RANGE_RECEIPTS = 5;
    private static final String MODEL_NAME = "lead-time-isolation-forest";

    private final IsolationForestModel model;
    private final LeadTimeHistory history;
    private final ModelVersion version;

    private LeadTimeAnomalyDetector(IsolationForestModel model, LeadTimeHistory history, ModelVersion version) {
        this.model = model;
        this.history = history;
        this.version = version;
    }

    /**
     * Trains on past receipts. Receipts whose PO line is not among {@code lines} are skipped, as their
     * lead time is unknown.
     *
     * @throws IllegalArgumentException if no receipt can be matched to a line
     */
    public static LeadTimeAnomalyDetector train(Collection<PurchaseOrderLine> lines, Collection<Receipt> receipts,
            LeadTimeDetectorSettings settings) {
        Map<String, PurchaseOrderLine> linesById = lines.stream()
                .collect(Collectors.toMap(PurchaseOrderLine::poLineId, Function.identity(), (a, b) -> b, HashMap::new));
        List<Receipt> matched = receipts.stream()
                .filter(receipt -> linesById.containsKey(receipt.poLineId()))
                .sorted(Comparator.comparing(Receipt::receivedAt).thenComparing(Receipt::receiptId))
                .toList();
        if (matched.isEmpty()) {
            throw new IllegalArgumentException("No receipt matches a purchase order line; nothing to train on");
        }
        LeadTimeHistory history = new LeadTimeHistory(settings.historyWindow());
        List<double[]> rows = new ArrayList<>(matched.size());
        MessageDigest dataDigest = sha256();
        for (Receipt receipt : matched) {
            PurchaseOrderLine line = linesById.get(receipt.poLineId());
            double[] features = LeadTimeFeatures.extract(line, receipt, history.lane(line.lane(), receipt.receivedAt()),
                    history.supplier(line.supplier(), receipt.receivedAt()));
            history.record(line.lane(), line.supplier(), LeadTimeFeatures.observation(line, receipt));
            rows.add(features);
            dataDigest.update((receipt.receiptId() + '|' + line.lane() + '|' + line.orderedAt() + '|'
                    + line.promisedDate() + '|' + line.quantity() + '|' + receipt.quantity() + '|'
                    + receipt.receivedAt() + '\n').getBytes(StandardCharsets.UTF_8));
        }
        String dataHash = HexFormat.of().formatHex(dataDigest.digest());
        Instant dataFrom = matched.getFirst().receivedAt();
        Instant dataTo = matched.getLast().receivedAt();

        AnomalyFactory factory = new AnomalyFactory();
        String description = "lead-time receipts " + dataFrom + ".." + dataTo + " n=" + matched.size()
                + " sha256=" + dataHash;
        // The data source is dated by its newest receipt, not the wall clock, so the provenance of
        // two trainings on the same data agrees on everything but the training time.
        var source = new SimpleDataSourceProvenance(description, dataTo.atOffset(ZoneOffset.UTC), factory);
        MutableDataset<Event> dataset = new MutableDataset<>(source, factory);
        String[] names = LeadTimeFeatures.NAMES.toArray(String[]::new);
        for (double[] row : rows) {
            // Training receipts are unlabelled; the forest ignores labels, EXPECTED is Tribuo's convention.
            dataset.add(new ArrayExample<>(AnomalyFactory.EXPECTED_EVENT, names, row));
        }
        IsolationForestTrainer trainer = new IsolationForestTrainer(settings.numTrees(), settings.subsampleSize(),
                settings.contamination(), settings.seed());
        Map<String, Provenance> runProvenance = Map.of("historyWindow",
                new IntProvenance("historyWindow", settings.historyWindow()));
        IsolationForestModel model = trainer.train(dataset, runProvenance);
        model.setName(MODEL_NAME);

        String versionId = "lt-if-" + HexFormat.of().formatHex(sha256()
                .digest((trainer + "|window=" + settings.historyWindow() + "|" + dataHash)
                        .getBytes(StandardCharsets.UTF_8)), 0, 6);
        ModelVersion version = new ModelVersion(versionId, model.getProvenance().getTrainingTime().toInstant(),
                matched.size(), dataFrom, dataTo, trainer.toString(), model.getProvenance().toString());
        return new LeadTimeAnomalyDetector(model, history, version);
    }

    /** Scores a receipt as it lands, then adds it to the lane's and supplier's history. */
    public synchronized LeadTimeFlag score(PurchaseOrderLine line, Receipt receipt) {
        if (!line.poLineId().equals(receipt.poLineId())) {
            throw new IllegalArgumentException("Receipt " + receipt.receiptId() + " belongs to PO line "
                    + receipt.poLineId() + ", not " + line.poLineId());
        }
        LeadTimeHistory.Summary lane = history.lane(line.lane(), receipt.receivedAt());
        LeadTimeHistory.Summary supplier = history.supplier(line.supplier(), receipt.receivedAt());
        double[] features = LeadTimeFeatures.extract(line, receipt, lane, supplier);
        LeadTimeHistory.Summary rangeSource = lane.count() >= MIN_RANGE_RECEIPTS ? lane : supplier;
        history.record(line.lane(), line.supplier(), LeadTimeFeatures.observation(line, receipt));

        var example = new ArrayExample<>(AnomalyFactory.UNKNOWN_EVENT,
                LeadTimeFeatures.NAMES.toArray(String[]::new), features);
        Excuse<Event> excuse = model.getExcuse(example).orElseThrow();
        Prediction<Event> prediction = excuse.getPrediction();
        List<FeatureContribution> drivers = excuse.excuse(IsolationForestModel.ALL_OUTPUTS).stream()
                .limit(DRIVERS_REPORTED)
                .map(share -> new FeatureContribution(share.getA(), valueOf(share, features), share.getB()))
                .toList();
        Event event = prediction.getOutput();
        return new LeadTimeFlag(receipt.receiptId(), line.poLineId(), line.supplier(), line.location(),
                receipt.receivedAt(), LeadTimeFeatures.leadTimeDays(line, receipt),
                LeadTimeFeatures.delayDays(line, receipt), event.getScore(),
                event.getType() == Event.EventType.ANOMALOUS,
                new LeadTimeRange(rangeSource.p5(), rangeSource.p95(), rangeSource.count()), drivers, version.id());
    }

    public ModelVersion version() {
        return version;
    }

    /** Tribuo's provenance of the forest: trainer configuration and seed, data source, run settings. */
    public ModelProvenance provenance() {
        return model.getProvenance();
    }

    private static double valueOf(Pair<String, Double> share, double[] features) {
        return features[LeadTimeFeatures.NAMES.indexOf(share.getA())];
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is mandatory in every JDK", e);
        }
    }
}
