package io.refinery.ops.bench.forecasting;

import io.refinery.forecasting.model.Accuracy;
import io.refinery.forecasting.model.AutoForecaster;
import io.refinery.forecasting.model.FittedModel;
import io.refinery.forecasting.model.Forecast;
import io.refinery.forecasting.model.Forecaster;
import io.refinery.forecasting.model.Forecasters;
import io.refinery.forecasting.model.GlobalCandidates;
import io.refinery.forecasting.model.GlobalRegressionForecaster;
import io.refinery.forecasting.model.SelectionConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;

/**
 * Scores the model zoo on a competition file in long format ({@code series,category,horizon,month,value},
 * oldest first per series), holding out the last {@code horizon} points of each series. Prints one
 * Markdown table row per method; sMAPE and MASE follow the M3/M4 definitions and OWA is relative to
 * the M4 Naive2 benchmark. Usage: {@code M3Benchmark <csv> [period] [method,...] [--stride k]}; with a
 * stride only every k-th series (file order, the first included) is scored, the subset the R script
 * scores with {@code method:k}, and the rows say so.
 */
public final class M3Benchmark {

    private static final double LOWER = 0.1;
    private static final double UPPER = 0.9;

    private record Series(String id, double[] train, double[] test) {
    }

    private record Result(String method, Accuracy accuracy, double seriesPerSecond) {
    }

    private M3Benchmark() {
    }

    public static void main(String[] args) throws Exception {
        int stride = 1;
        List<String> positional = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--stride")) {
                stride = Integer.parseInt(args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        args = positional.toArray(String[]::new);
        List<Series> all = read(Path.of(args[0]));
        List<Series> series = new ArrayList<>();
        for (int i = 0; i < all.size(); i += stride) {
            series.add(all.get(i));
        }
        String subset = stride == 1 ? "" : " (every %dth series: %d of %d)".formatted(stride, series.size(), all.size());
        int period = args.length > 1 ? Integer.parseInt(args[1]) : 12;
        int horizon = series.getFirst().test().length;
        int threads = Runtime.getRuntime().availableProcessors();
        AutoForecaster auto = new AutoForecaster(SelectionConfig.defaults(horizon).withParallelism(threads));
        Map<String, Forecaster> methods = new LinkedHashMap<>();
        methods.put("Naive2", Forecasters.naive2());
        methods.put("SeasonalNaive", Forecasters.seasonalNaive());
        methods.put("ETS", Forecasters.ets());
        methods.put("DampedETS", Forecasters.dampedEts());
        methods.put("Theta", Forecasters.theta());
        methods.put("Arima", Forecasters.arima());
        methods.put("Combination", Forecasters.combination());
        methods.put("Combination+ARIMA", Forecasters.mean(Forecasters.ets(), Forecasters.theta(),
            Forecasters.dampedEts(), Forecasters.arima()));
        methods.put("Auto", auto);
        // the candidate pool with ARIMA added: selection may pick it where it beats the default at every origin
        List<Forecaster> withArima = new ArrayList<>(auto.config().candidates());
        withArima.add(Forecasters.arima());
        methods.put("Auto+ARIMA", new AutoForecaster(auto.config().withCandidates(withArima)));
        List<String> selected = args.length > 2 ? List.of(args[2].split(",")) : List.copyOf(methods.keySet());

        List<Result> results = new ArrayList<>();
        Accuracy naive2 = null;
        for (Map.Entry<String, Forecaster> method : methods.entrySet()) {
            boolean reference = method.getKey().equals("Naive2");
            // ARIMA in the pool costs an ARIMA search per backtest origin: only on request
            boolean onRequestOnly = method.getKey().equals("Auto+ARIMA");
            if (!reference && (!selected.contains(method.getKey()) || onRequestOnly && args.length <= 2)) {
                continue;
            }
            Result result = evaluate(method.getKey() + subset, series, period, horizon, threads,
                train -> method.getValue().fit(train, period));
            if (reference) {
                naive2 = result.accuracy();
            }
            results.add(result);
        }
        if (args.length <= 2 || selected.contains("Global")) {
            results.add(evaluateGlobal(series, period, horizon));
        }
        // costs two full selections: only on request (the bench script asks for it on its subset run)
        if (selected.contains("RunProcedure")) {
            results.addAll(runProcedure(series, period, horizon, threads));
        }
        for (Result result : results) {
            System.out.println(row(result, naive2));
        }
    }

    private static Result evaluate(String method, List<Series> series, int period, int horizon, int threads,
                                   java.util.function.Function<double[], FittedModel> fit) throws Exception {
        long start = System.nanoTime();
        ForkJoinPool pool = new ForkJoinPool(threads);
        List<Accuracy> scores;
        try {
            scores = pool.submit(() -> IntStream.range(0, series.size()).parallel()
                .mapToObj(i -> score(series.get(i), period, fit.apply(series.get(i).train()).forecast(horizon, LOWER, UPPER)))
                .toList()).get();
        } finally {
            pool.shutdown();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result(method, Accuracy.summarise(scores), series.size() / seconds);
    }

    private static Result evaluateGlobal(List<Series> series, int period, int horizon) {
        long start = System.nanoTime();
        List<FittedModel> models = new GlobalRegressionForecaster(GlobalRegressionForecaster.Config.linear(period, 42L))
            .fitAll(series.stream().map(Series::train).toList(), period);
        List<Accuracy> scores = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            scores.add(score(series.get(i), period, models.get(i).forecast(horizon, LOWER, UPPER)));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Result("Global Tribuo regression", Accuracy.summarise(scores), series.size() / seconds);
    }

    /**
     * What a forecast run does per series, timed two ways on the same series: the former procedure
     * (select on the series minus a held-out tail to score it, then select again on the whole series)
     * and selecting once and keeping the winner's rolling-origin backtest scores. The point forecasts
     * are the same; the accuracy stored differs in what it measures.
     */
    private static List<Result> runProcedure(List<Series> series, int period, int horizon, int threads) throws Exception {
        AutoForecaster single = new AutoForecaster(SelectionConfig.defaults(horizon).withParallelism(1));
        Result twice = evaluate("run: select twice (held-out tail, then all)", series, period, horizon, threads, train -> {
            int holdout = Math.min(horizon, train.length / 4);
            single.fit(java.util.Arrays.copyOf(train, train.length - holdout), period);
            return single.fit(train, period);
        });
        Result once = evaluate("run: select once, backtest scores kept", series, period, horizon, threads,
            train -> single.select(train, period).model());
        // as runs do: one global Tribuo model learned at every origin across all series, one more candidate
        long started = System.nanoTime();
        List<double[]> trains = series.stream().map(Series::train).toList();
        int[] periods = new int[trains.size()];
        java.util.Arrays.fill(periods, period);
        GlobalCandidates global = GlobalCandidates.fit(
            new GlobalRegressionForecaster(GlobalRegressionForecaster.Config.linear(period, 42L)), trains, null,
            new int[trains.size()], periods, period, single);
        double globalSeconds = (System.nanoTime() - started) / 1e9;
        Map<double[], Integer> indexOf = new java.util.IdentityHashMap<>();
        for (int i = 0; i < trains.size(); i++) {
            indexOf.put(trains.get(i), i);
        }
        Result withGlobal = evaluate("run: select once with the global candidate", series, period, horizon, threads,
            train -> single.select(train, period, global.forSeries(indexOf.get(train))).model());
        double seconds = series.size() / withGlobal.seriesPerSecond() + globalSeconds;
        return List.of(twice, once, new Result(withGlobal.method(), withGlobal.accuracy(), series.size() / seconds));
    }

    private static Accuracy score(Series series, int period, Forecast forecast) {
        return Accuracy.of(series.train(), period, series.test(), forecast.mean(),
            forecast.quantile(LOWER), forecast.quantile(UPPER));
    }

    private static String row(Result result, Accuracy naive2) {
        Accuracy a = result.accuracy();
        double owa = naive2 == null ? Double.NaN : 0.5 * (a.smape() / naive2.smape() + a.mase() / naive2.mase());
        return String.format(Locale.ROOT, "| %s | %.2f | %.3f | %.3f | %.2f | %+.2f | %.1f%% | %.1f |",
            "Refinery " + result.method(), a.smape(), a.mase(), owa, a.wape(), a.bias(), a.coverage(), result.seriesPerSecond());
    }

    private static List<Series> read(Path csv) throws IOException {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        Map<String, Integer> horizons = new LinkedHashMap<>();
        try (var lines = Files.lines(csv)) {
            lines.skip(1).forEach(line -> {
                String[] fields = line.split(",");
                values.computeIfAbsent(fields[0], k -> new ArrayList<>()).add(Double.parseDouble(fields[4]));
                horizons.put(fields[0], Integer.parseInt(fields[2]));
            });
        }
        List<Series> series = new ArrayList<>();
        values.forEach((id, list) -> {
            double[] all = list.stream().mapToDouble(Double::doubleValue).toArray();
            int cut = all.length - horizons.get(id);
            series.add(new Series(id, java.util.Arrays.copyOf(all, cut), java.util.Arrays.copyOfRange(all, cut, all.length)));
        });
        return series;
    }
}
