package dev.runway.notifier.render;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.specific.SpecificRecord;

/** An Avro record as plain JSON values (ISO-8601 times, enum names), for webhook bodies. */
public final class AvroJson {

    private AvroJson() {
    }

    public static Map<String, Object> toMap(SpecificRecord record) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Schema.Field field : record.getSchema().getFields()) {
            out.put(field.name(), value(record.get(field.pos())));
        }
        return out;
    }

    private static Object value(Object v) {
        if (v == null) {
            return null;
        } else if (v instanceof SpecificRecord r) {
            return toMap(r);
        } else if (v instanceof CharSequence || v instanceof Enum<?> || v instanceof GenericEnumSymbol<?> || v instanceof Instant) {
            return v.toString();
        } else if (v instanceof Double d) {
            // JSON has no NaN (Sample.value is NaN when there was no data).
            return d.isNaN() || d.isInfinite() ? null : d;
        } else if (v instanceof Float f) {
            return f.isNaN() || f.isInfinite() ? null : f;
        } else if (v instanceof ByteBuffer b) {
            ByteBuffer copy = b.duplicate();
            byte[] bytes = new byte[copy.remaining()];
            copy.get(bytes);
            return Base64.getEncoder().encodeToString(bytes);
        } else if (v instanceof List<?> list) {
            List<Object> out = new ArrayList<>(list.size());
            list.forEach(item -> out.add(value(item)));
            return out;
        } else if (v instanceof Map<?, ?> map) {
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, item) -> out.put(String.valueOf(k), value(item)));
            return out;
        }
        return v;
    }
}
