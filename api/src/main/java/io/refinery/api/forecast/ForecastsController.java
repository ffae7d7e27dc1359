package io.refinery.api.forecast;

import io.refinery.api.Blocking;
import io.refinery.api.Inputs;
import io.refinery.api.demand.Csv;
import io.refinery.forecasting.ForecastRun;
import io.refinery.forecasting.ForecastRuns;
import io.refinery.warehouse.api.ForecastOverride;
import io.refinery.warehouse.api.ForecastOverrides;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Pattern;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.streaming.SXSSFWorkbook;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.validation.annotation.Validated;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/** A run's forecasts with overrides applied: JSON, or the planner export as streamed CSV or XLSX. */
@RestController
@Validated
@RequestMapping("/api/v1/forecast-runs/{id}/forecasts")
@Tag(name = "Forecast runs")
class ForecastsController {

    static final MediaType XLSX = MediaType.parseMediaType("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
    static final MediaType CSV = new MediaType("text", "csv", StandardCharsets.UTF_8);
    private static final String[] HEADER = {"sku", "location", "period", "p10", "p50", "p90", "model", "statistical",
            "final", "overridden", "override_reason", "overridden_by", "override_run_id"};

    enum Format { JSON, CSV, XLSX }

    private record Loaded(ForecastRun run, List<ForecastRow> rows) {
    }

    private final ObjectProvider<ForecastRuns> runs;
    private final ForecastOverrides overrides;
    private final com.fasterxml.jackson.databind.ObjectMapper mapper;

    ForecastsController(ObjectProvider<ForecastRuns> runs, ForecastOverrides overrides,
                        com.fasterxml.jackson.databind.ObjectMapper mapper) {
        this.runs = runs;
        this.overrides = overrides;
        this.mapper = mapper;
    }

    @GetMapping(produces = {MediaType.APPLICATION_JSON_VALUE, "text/csv",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"})
    @Operation(summary = "A run's forecasts (sku, location, period, p10/p50/p90, model, statistical and final value)")
    Mono<ResponseEntity<Flux<DataBuffer>>> forecasts(@PathVariable @Pattern(regexp = ForecastRunsController.RUN_ID, message = "not a run id") String id,
                                      @RequestParam(required = false) String sku,
                                      @RequestParam(required = false) String location,
                                      @RequestParam(required = false) String format) {
        Format chosen = Inputs.option("format", format, Format.class, Format.JSON);
        String skuFilter = Inputs.code("sku", sku);
        String locationFilter = Inputs.code("location", location);
        Mono<Loaded> loaded = Blocking.call(() -> {
            ForecastRun run = ForecastRunsController.find(runs, id);
            Map<String, ForecastOverride> byCell = overrides.forRun(run.runId()).stream()
                    .collect(Collectors.toMap(o -> cell(o.sku(), o.location(), o.period().toString()), Function.identity(),
                            (a, b) -> b));
            List<ForecastRow> rows = Blocking.facade(runs, "forecasting").forecasts(run.runId(), skuFilter, locationFilter)
                    .stream().map(p -> ForecastRow.of(p, byCell.get(cell(p.sku(), p.location(), p.period().toString()))))
                    .toList();
            return new Loaded(run, rows);
        });
        return loaded.map(l -> switch (chosen) {
            case JSON -> ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(json(l.rows()));
            case CSV -> ResponseEntity.ok().contentType(CSV).header(HttpHeaders.CONTENT_DISPOSITION,
                    attachment(l.run(), "csv")).body(csv(l.rows()));
            case XLSX -> ResponseEntity.ok().contentType(XLSX).header(HttpHeaders.CONTENT_DISPOSITION,
                    attachment(l.run(), "xlsx")).body(xlsx(l.rows()));
        });
    }

    private Flux<DataBuffer> json(List<ForecastRow> rows) {
        try {
            return Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(mapper.writeValueAsBytes(rows)));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return Flux.error(e);
        }
    }

    private static String cell(String sku, String location, String period) {
        return sku + '\u0000' + location + '\u0000' + period;
    }

    private static String attachment(ForecastRun run, String extension) {
        return ContentDisposition.attachment().filename("forecast-" + run.runId() + "." + extension).build().toString();
    }

    /** Streamed in chunks of rows: the response never holds the whole file. */
    static Flux<DataBuffer> csv(List<ForecastRow> rows) {
        var factory = DefaultDataBufferFactory.sharedInstance;
        Flux<String> header = Flux.just(String.join(",", HEADER) + "\r\n");
        Flux<String> body = Flux.fromIterable(rows).buffer(1000).map(chunk -> {
            StringBuilder out = new StringBuilder(chunk.size() * 96);
            for (ForecastRow r : chunk) {
                out.append(Csv.cell(r.sku())).append(',').append(Csv.cell(r.location())).append(',').append(r.period())
                        .append(',').append(r.p10()).append(',').append(r.p50()).append(',').append(r.p90()).append(',')
                        .append(Csv.cell(r.model())).append(',').append(r.statistical()).append(',').append(r.finalValue())
                        .append(',').append(r.overridden()).append(',').append(Csv.cell(r.overrideReason())).append(',')
                        .append(Csv.cell(r.overriddenBy())).append(',').append(Csv.cell(r.overrideRunId())).append("\r\n");
            }
            return out.toString();
        });
        return Flux.concat(header, body).map(s -> factory.wrap(s.getBytes(StandardCharsets.UTF_8)));
    }

    /** POI's streaming workbook keeps 100 rows in memory and writes straight into the response. */
    static Flux<DataBuffer> xlsx(List<ForecastRow> rows) {
        return Flux.from(DataBufferUtils.outputStreamPublisher(out -> writeXlsx(rows, out), DefaultDataBufferFactory.sharedInstance,
                Schedulers.boundedElastic()::schedule));
    }

    static void writeXlsx(List<ForecastRow> rows, OutputStream out) {
        try (SXSSFWorkbook workbook = new SXSSFWorkbook(100)) {
            Sheet sheet = workbook.createSheet("forecast");
            Row header = sheet.createRow(0);
            for (int i = 0; i < HEADER.length; i++) {
                header.createCell(i).setCellValue(HEADER[i]);
            }
            int n = 1;
            for (ForecastRow r : rows) {
                Row row = sheet.createRow(n++);
                row.createCell(0).setCellValue(r.sku());
                row.createCell(1).setCellValue(r.location());
                row.createCell(2).setCellValue(r.period().toString());
                row.createCell(3).setCellValue(r.p10());
                row.createCell(4).setCellValue(r.p50());
                row.createCell(5).setCellValue(r.p90());
                row.createCell(6).setCellValue(r.model());
                row.createCell(7).setCellValue(r.statistical());
                row.createCell(8).setCellValue(r.finalValue());
                row.createCell(9).setCellValue(r.overridden());
                row.createCell(10).setCellValue(r.overrideReason() == null ? "" : r.overrideReason());
                row.createCell(11).setCellValue(r.overriddenBy() == null ? "" : r.overriddenBy());
                row.createCell(12).setCellValue(r.overrideRunId() == null ? "" : r.overrideRunId());
            }
            workbook.write(out);
            workbook.dispose();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
