package io.refinery.ingestion.file;

import io.refinery.ingestion.Ingestion;
import io.refinery.ingestion.IngestionErrorHandling;
import io.refinery.ingestion.IngestionProperties;
import io.refinery.ingestion.RouteDefinition;
import io.refinery.ingestion.RouteKind;
import io.refinery.ingestion.RouteOptions;
import io.refinery.ingestion.SourceRecord;
import io.refinery.ingestion.SourceRouteFactory;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * ERP file drops: a watched inbox per route; CSV (header-mapped; delimiter, encoding and date
 * formats configurable) and XLSX (streamed). A processed file moves to {@code done/}, a failed one
 * to {@code failed/}, each with a {@code .report.json} beside it. While the warehouse is down, the
 * file stays in the inbox and is read again once it answers (landing is idempotent per file).
 */
@Component
class FileDropRouteFactory implements SourceRouteFactory {

    /** Header holding where a processed file goes: done/ or failed/ and its archived name (as its report). */
    static final String ARCHIVED_PATH = "RefineryArchivedPath";
    static final List<String> OPTIONS = List.of("inbox", "format", "delimiter", "encoding", "header", "sheet",
            "pollDelayMs", "readLockMinAgeMs");

    enum Format { AUTO, CSV, XLSX }

    private final Ingestion ingestion;
    private final IngestionProperties properties;
    private final ApplicationEventPublisher events;

    FileDropRouteFactory(Ingestion ingestion, IngestionProperties properties, ApplicationEventPublisher events) {
        this.ingestion = ingestion;
        this.properties = properties;
        this.events = events;
    }

    @Override
    public RouteKind kind() {
        return RouteKind.FILE_DROP;
    }

    @Override
    public List<String> optionNames() {
        return OPTIONS;
    }

    @Override
    public List<String> validate(RouteDefinition definition) {
        return settings(definition).problems();
    }

    FileDropSettings settings(RouteDefinition definition) {
        RouteOptions options = new RouteOptions(definition, OPTIONS);
        Path inbox = options.pathUnder("inbox", properties.allowedRoots());
        Format format = options.choice("format", Format.class, Format.AUTO);
        String delimiter = options.text("delimiter", ",");
        if (delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab")) {
            delimiter = "\t";
        }
        List<String> problems = new ArrayList<>();
        if (delimiter.length() != 1) {
            problems.add("option 'delimiter' must be one character (or 'tab')");
        }
        List<String> header = options.text("header", null) == null ? List.of()
                : Stream.of(options.text("header", "").split(",")).map(String::strip).toList();
        var charset = options.charset("encoding");
        String sheet = options.safeText("sheet", null);
        int delay = options.integer("pollDelayMs", 1000, 50, 3_600_000);
        int minAge = options.integer("readLockMinAgeMs", 1000, 0, 3_600_000);
        var request = options.request(io.refinery.ingestion.SourceKind.FILE, "", properties.batchSize());
        problems.addAll(0, options.problems());
        return new FileDropSettings(definition.id(), inbox, format, delimiter.charAt(0), charset, header, sheet,
                delay, minAge, request, problems);
    }

    @Override
    public RouteBuilder routeBuilder(RouteDefinition definition) {
        FileDropSettings settings = settings(definition);
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException("route " + definition.id() + ": " + settings.problems());
        }
        FileDropProcessor processor = new FileDropProcessor(ingestion, settings, events);
        return new RouteBuilder() {
            @Override
            public void configure() {
                fromF("file:%s?antInclude=*.csv,*.txt,*.tsv,*.xlsx&antFilterCaseSensitive=false"
                                + "&readLock=changed&readLockMinAge=%d&readLockCheckInterval=250&readLockTimeout=%d&readLockMinLength=0"
                                + "&initialDelay=0&delay=%d&maxMessagesPerPoll=1&sortBy=file:modified"
                                + "&backoffErrorThreshold=1&backoffMultiplier=5&move=${header.%s}",
                        // A route that starts reads its inbox at once (not after Camel's default second).
                        // A file still growing after the timeout is skipped and retried at the next poll,
                        // rather than holding up the whole inbox. The processor decides done/ or failed/;
                        // a file it throws on (the warehouse is down) stays in the inbox for a later poll,
                        // and polls back off after such an error.
                        settings.inbox().toString(), settings.readLockMinAgeMs(),
                        Math.max(10_000, settings.readLockMinAgeMs() * 4), settings.pollDelayMs(),
                        ARCHIVED_PATH)
                        .routeId(definition.id())
                        .routeConfigurationId(IngestionErrorHandling.ID)
                        .process(processor);
            }
        };
    }

    @Override
    public Sample sample(RouteDefinition definition, int limit) throws Exception {
        FileDropSettings settings = settings(definition);
        if (!settings.problems().isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", settings.problems()));
        }
        File first;
        try (Stream<Path> files = Files.list(settings.inbox())) {
            first = files.filter(Files::isRegularFile).filter(FileDropProcessor::accepted).sorted().findFirst()
                    .map(Path::toFile).orElse(null);
        }
        if (first == null) {
            return new Sample(settings.inbox() + " (no file waiting)", List.of());
        }
        List<Map<String, String>> records = new ArrayList<>();
        try {
            FileDropProcessor.readFile(first, settings, (SourceRecord r) -> {
                if (records.size() >= limit) {
                    throw new SampleFull();
                }
                records.add(r.fields());
            });
        } catch (SampleFull enough) {
            // the sample is complete
        }
        return new Sample(first.getName(), records);
    }

    private static final class SampleFull extends RuntimeException {
        SampleFull() {
            super(null, null, false, false);
        }
    }
}
