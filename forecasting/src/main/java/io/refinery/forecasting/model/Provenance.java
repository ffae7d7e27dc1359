package io.refinery.forecasting.model;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What produced a fitted model: the model's name, its fitted or configured parameters and the seed of
 * any random number generator involved, in the spirit of Tribuo's model provenance.
 *
 * @param model      model name, e.g. {@code ETS(M,Ad,M)} or {@code Theta}
 * @param parameters parameter name to value, sorted by name so that provenance prints reproducibly
 * @param seed       seed of the random number generator used while fitting, or {@link #NO_SEED}
 */
public record Provenance(String model, Map<String, Double> parameters, long seed) {

    /** Marks models whose fitting is fully deterministic and uses no random numbers. */
    public static final long NO_SEED = -1L;

    public Provenance {
        Objects.requireNonNull(model, "model");
        parameters = Map.copyOf(new TreeMap<>(parameters));
    }

    static Provenance deterministic(String model, Map<String, Double> parameters) {
        return new Provenance(model, parameters, NO_SEED);
    }
}
