package io.refinery.forecasting;

import java.time.Instant;
import java.util.Map;

/**
 * What a run was made from, so it can be reproduced: the served data as of a point (the newest
 * demand version read), the code version, and how many series each model won.
 */
public record RunLineage(Instant dataAsOf, long dataVersion, long seriesRead, String codeVersion,
                         Map<String, Long> modelsChosen, String trainerProvenance) {
}
