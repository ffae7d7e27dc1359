package io.refinery.api.pipeline;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

import java.nio.file.Path;

/**
 * Dataset uploads ({@code refinery.api.upload.*}).
 *
 * @param maxSize  largest upload accepted; the body is streamed to disk, never held in memory
 * @param spoolDir where uploads are spooled while they are read (temporary files, deleted after)
 */
@ConfigurationProperties("refinery.api.upload")
public record UploadProperties(@DefaultValue("1GB") DataSize maxSize, Path spoolDir) {

    public Path spool() {
        return spoolDir != null ? spoolDir : Path.of(System.getProperty("java.io.tmpdir"));
    }
}
