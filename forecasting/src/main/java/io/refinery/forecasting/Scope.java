package io.refinery.forecasting;

import java.util.List;

/** Which series a run covers; empty lists mean "all". */
public record Scope(List<String> skus, List<String> locations, List<String> categories) {

    public static final Scope ALL = new Scope(List.of(), List.of(), List.of());

    public Scope {
        skus = skus == null ? List.of() : List.copyOf(skus);
        locations = locations == null ? List.of() : List.copyOf(locations);
        categories = categories == null ? List.of() : List.copyOf(categories);
    }

    /** A stable text form, used to keep two runs of the same scope from running at once. */
    public String key() {
        return "skus=" + skus.stream().sorted().toList() + ";locations=" + locations.stream().sorted().toList()
                + ";categories=" + categories.stream().sorted().toList();
    }
}
