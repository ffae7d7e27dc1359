package io.refinery.ingestion.contract;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The data contracts: the versions shipped in {@code classpath:contracts/*.yaml}, plus versions
 * registered at run time (a fix to a contract, followed by a quarantine re-process). The highest
 * version of an entity is the active one.
 */
@Component
public class ContractRegistry {

    private final Map<String, NavigableMap<Integer, DataContract>> byEntity = new ConcurrentHashMap<>();
    private final Map<String, String> sources = new ConcurrentHashMap<>();

    public ContractRegistry() {
        try {
            Resource[] resources = new PathMatchingResourcePatternResolver().getResources("classpath*:contracts/*.yaml");
            for (Resource resource : resources) {
                register(resource.getContentAsString(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read data contracts", e);
        }
    }

    /** Registers a contract version (YAML); returns it. A version may not be redefined. */
    public synchronized DataContract register(String yaml) {
        DataContract contract = ContractParser.parse(yaml);
        NavigableMap<Integer, DataContract> versions = byEntity.computeIfAbsent(contract.entity(), e -> new TreeMap<>());
        DataContract existing = versions.get(contract.version());
        if (existing != null && !existing.equals(contract)) {
            throw new ContractException(contract.id() + " already exists; publish a new version instead");
        }
        versions.put(contract.version(), contract);
        sources.put(contract.id(), yaml);
        return contract;
    }

    public DataContract active(String entity) {
        NavigableMap<Integer, DataContract> versions = byEntity.get(entity);
        if (versions == null || versions.isEmpty()) {
            throw new ContractException("no data contract for entity " + entity);
        }
        return versions.lastEntry().getValue();
    }

    public Optional<DataContract> version(String entity, int version) {
        return Optional.ofNullable(byEntity.getOrDefault(entity, new TreeMap<>()).get(version));
    }

    /** The YAML text of a contract version, as published. */
    public Optional<String> source(String contractId) {
        return Optional.ofNullable(sources.get(contractId));
    }

    public List<DataContract> all() {
        return byEntity.values().stream().flatMap(v -> v.values().stream())
                .sorted(Comparator.comparing(DataContract::entity).thenComparing(DataContract::version)).toList();
    }
}
