package io.refinery.ingestion;

/**
 * A streamed ingest: records are pushed one by one and landed in chunks of the request's batch
 * size, so a source of any size needs only one chunk in memory. {@link #finish} processes the last
 * chunk and returns the total; {@link #close} without finish drops the unsent tail (nothing of it
 * was landed, so a re-delivery is complete).
 */
public interface IngestSession extends AutoCloseable {

    void accept(SourceRecord record);

    IngestResult finish();

    @Override
    void close();
}
