package io.refinery.ingestion;

import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.Properties;

/**
 * Resolves secret references: an environment variable of that name, else an entry of the
 * configured secrets file. Values are used to connect and are never stored, logged or returned.
 */
@Component
public class Secrets {

    private final IngestionProperties properties;

    Secrets(IngestionProperties properties) {
        this.properties = properties;
    }

    public Optional<String> resolve(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String env = System.getenv(name);
        if (env != null) {
            return Optional.of(env);
        }
        String fromSystem = System.getProperty("refinery.secret." + name);
        if (fromSystem != null) {
            return Optional.of(fromSystem);
        }
        if (properties.secretsFile() != null && Files.isReadable(properties.secretsFile())) {
            Properties secrets = new Properties();
            try (Reader reader = Files.newBufferedReader(properties.secretsFile())) {
                secrets.load(reader);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the secrets file", e);
            }
            return Optional.ofNullable(secrets.getProperty(name));
        }
        return Optional.empty();
    }

    public String require(String name) {
        return resolve(name).orElseThrow(() -> new IllegalStateException("secret " + name + " is not defined"));
    }
}
