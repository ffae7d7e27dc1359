package io.refinery.ingestion.mqtt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.refinery.ingestion.contract.ContractEngine;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns an MQTT message into IoT reading fields. The topic carries the identity, following a
 * pattern such as {@code site/{location}/device/{device_id}/{metric}}; the payload is either JSON
 * ({@code {"value": 21.5, "ts": "…", "sku": "…"}}, or a bare number) or compact text
 * ({@code value[;ts[;sku]]}, also with commas). Without a timestamp the arrival time is used.
 * Never throws: what cannot be read is passed on for the contract to refuse with a reason.
 */
public final class IotPayloadParser {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z_]+)}");
    /** Compiled once: String.split compiles a regex of more than one character on every call. */
    private static final Pattern COMPACT_SEPARATOR = Pattern.compile("[;,]");

    private final Pattern topicRegex;
    private final List<String> topicFields = new ArrayList<>();
    private final String subscription;

    public IotPayloadParser(String topicPattern) {
        Matcher m = PLACEHOLDER.matcher(topicPattern);
        StringBuilder regex = new StringBuilder();
        StringBuilder filter = new StringBuilder();
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(topicPattern.substring(last, m.start()))).append("([^/]+)");
            filter.append(topicPattern, last, m.start()).append('+');
            topicFields.add(m.group(1));
            last = m.end();
        }
        regex.append(Pattern.quote(topicPattern.substring(last)));
        filter.append(topicPattern.substring(last));
        this.topicRegex = Pattern.compile(regex.toString());
        this.subscription = filter.toString();
    }

    /** The MQTT subscription filter of the pattern (placeholders become {@code +}). */
    public String subscription() {
        return subscription;
    }

    public Map<String, String> parse(String topic, byte[] payload, Instant arrivedAt) {
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = topicRegex.matcher(topic == null ? "" : topic);
        if (m.matches()) {
            for (int i = 0; i < topicFields.size(); i++) {
                fields.put(topicFields.get(i), m.group(i + 1));
            }
        } else {
            fields.put(ContractEngine.MALFORMED_MARKER, "topic '" + topic + "' does not match " + subscription);
        }
        String text = decode(payload);
        if (text == null) {
            fields.put("value", new String(payload, StandardCharsets.UTF_8));
            fields.put(ContractEngine.MALFORMED_MARKER, "payload is not UTF-8");
            return fields;
        }
        text = text.strip();
        if (text.startsWith("{")) {
            try {
                JsonNode node = JSON.readTree(text);
                node.properties().forEach(e -> {
                    String key = switch (e.getKey()) {
                        case "ts", "timestamp", "time", "t" -> "observed_at";
                        case "v" -> "value";
                        default -> e.getKey();
                    };
                    fields.putIfAbsent(key, e.getValue().isValueNode() ? e.getValue().asText() : e.getValue().toString());
                });
            } catch (Exception e) {
                fields.put("value", text);
                fields.put(ContractEngine.MALFORMED_MARKER, "payload is not valid JSON");
            }
        } else {
            String[] parts = COMPACT_SEPARATOR.split(text, 3);
            fields.put("value", parts[0].strip());
            if (parts.length > 1) {
                fields.put("observed_at", parts[1].strip());
            }
            if (parts.length > 2) {
                fields.put("sku", parts[2].strip());
            }
        }
        fields.putIfAbsent("observed_at", arrivedAt.toString());
        return fields;
    }

    private static String decode(byte[] payload) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
