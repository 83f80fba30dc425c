package dev.runway.messaging.inbound;

import java.io.Closeable;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.net.http.HttpTimeoutException;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeoutException;

import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;

/**
 * Decodes the registry-framed Avro of an inbound record into the contract's generated class. Every
 * Runway consumer reads raw bytes and decodes here, so a record that cannot be decoded reaches its
 * dead-letter topic byte for byte with the reason ({@link PoisonRecordException}) instead of stopping
 * the channel or being dropped by the connector. A registry that cannot be reached is not the
 * record's fault: that failure is passed on as it is, to be retried.
 */
public final class InboundDecoder implements Closeable {

    private final AvroKafkaDeserializer<Object> deserializer = new AvroKafkaDeserializer<>();

    public InboundDecoder(String registryUrl) {
        Map<String, Object> config = new HashMap<>();
        config.put("apicurio.registry.url", registryUrl);
        config.put("apicurio.registry.use-specific-avro-reader", "true");
        deserializer.configure(config, false);
    }

    /** The record, or a {@link PoisonRecordException} saying why it is not one of Runway's. */
    public SpecificRecord decode(String topic, Headers headers, byte[] value) {
        if (value == null || value.length == 0) {
            throw new PoisonRecordException("record has no value");
        }
        Object decoded;
        try {
            decoded = deserializer.deserialize(topic, headers == null ? new RecordHeaders() : headers, value);
        } catch (RuntimeException e) {
            if (unreachable(e)) {
                throw e; // the registry is down or slow: retry, the record itself may be fine
            }
            throw new PoisonRecordException("undecodable record: " + DeadLetter.reason(e), e);
        }
        if (!(decoded instanceof SpecificRecord record)) {
            throw new PoisonRecordException("not a Runway record: " + (decoded == null ? "null" : decoded.getClass().getName()));
        }
        return record;
    }

    /**
     * Whether the failure comes from not reaching the registry (refused, reset, unknown host, timed
     * out), not from the bytes: an EOF inside the Avro decoder is an I/O exception too, but poison.
     */
    static boolean unreachable(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SocketException || t instanceof UnknownHostException || t instanceof SocketTimeoutException
                    || t instanceof HttpTimeoutException || t instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        deserializer.close();
    }
}
