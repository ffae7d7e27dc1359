package io.refinery.ingestion.file;

import io.refinery.ingestion.IngestRequest;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;

/** The checked options of one file-drop route. */
record FileDropSettings(String routeId, Path inbox, FileDropRouteFactory.Format format, char delimiter,
                        Charset encoding, List<String> header, String sheet, int pollDelayMs, int readLockMinAgeMs,
                        IngestRequest request, List<String> problems) {
}
