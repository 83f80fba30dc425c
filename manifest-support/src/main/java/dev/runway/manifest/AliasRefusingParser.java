package dev.runway.manifest;

import java.io.IOException;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;

/** Fails on the first YAML alias or anchor instead of letting it pass as a string. */
final class AliasRefusingParser extends JsonParserDelegate {

    private final YAMLParser yaml;

    AliasRefusingParser(YAMLParser yaml) {
        super(yaml);
        this.yaml = yaml;
    }

    @Override
    public JsonToken nextToken() throws IOException {
        JsonToken token = super.nextToken();
        refuseAnchors();
        return token;
    }

    private void refuseAnchors() throws IOException {
        if (yaml.isCurrentAlias()) {
            throw new JsonParseException(yaml, "YAML aliases (*" + safeText() + ") are not allowed in a deploy manifest");
        }
        if (yaml.getObjectId() != null) {
            throw new JsonParseException(yaml, "YAML anchors (&" + yaml.getObjectId() + ") are not allowed in a deploy manifest");
        }
    }

    private String safeText() {
        try {
            String t = yaml.getText();
            return t == null ? "" : t.length() > 40 ? t.substring(0, 40) : t;
        } catch (IOException e) {
            return "";
        }
    }
}
