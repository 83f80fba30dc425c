package dev.runway.orchestrator.outbox;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/** Avro binary for outbox rows: the same bytes the record will carry, without the registry framing. */
final class AvroCodec {

    private AvroCodec() {
    }

    static byte[] encode(SpecificRecord record) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new SpecificDatumWriter<SpecificRecord>(record.getSchema()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static SpecificRecord decode(String type, byte[] payload) {
        try {
            Class<?> cls = Class.forName(type, true, SpecificRecord.class.getClassLoader() == null
                    ? Thread.currentThread().getContextClassLoader() : AvroCodec.class.getClassLoader());
            Schema schema = SpecificData.get().getSchema(cls);
            SpecificDatumReader<SpecificRecord> reader = new SpecificDatumReader<>(schema);
            return reader.read(null, DecoderFactory.get().binaryDecoder(payload, null));
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("outbox row of unknown record type " + type, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
