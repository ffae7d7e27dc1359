package io.refinery.ingestion.admin;

import io.refinery.ingestion.Preview;

import java.util.List;

/**
 * The result of validating a route definition: its problems, whether the source could be reached,
 * and what the contract would do with a sample (nothing is landed).
 */
public record DryRun(boolean valid, List<String> problems, boolean connected, String sampleSource,
                     Preview preview, String error) {
}
