package io.refinery.api.problem;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;

import java.io.IOException;

/**
 * A string field that must arrive as a JSON string. Jackson would otherwise turn {@code 12345678901234}
 * or {@code true} into text, so a secret typed as a number by a script would be accepted as a password
 * nobody meant. Use with {@code @JsonDeserialize(using = TextOnly.class)} on secrets and identifiers.
 */
public final class TextOnly extends StdScalarDeserializer<String> {

    public TextOnly() {
        super(String.class);
    }

    @Override
    public String deserialize(JsonParser parser, DeserializationContext context) throws IOException {
        if (parser.currentToken() == JsonToken.VALUE_STRING) {
            return parser.getText();
        }
        return (String) context.handleUnexpectedToken(String.class, parser.currentToken(), parser,
                "must be a JSON string, not %s", parser.currentToken().asString() == null
                        ? parser.currentToken().name() : parser.currentToken().asString());
    }
}
