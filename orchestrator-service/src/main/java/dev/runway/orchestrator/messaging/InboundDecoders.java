package dev.runway.orchestrator.messaging;

import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.runway.messaging.inbound.InboundDecoder;

/** The contract's {@link InboundDecoder}, configured with the registry the Kafka connector uses. */
public class InboundDecoders {

    @Produces
    @Singleton
    InboundDecoder decoder(@ConfigProperty(name = "mp.messaging.connector.smallrye-kafka.apicurio.registry.url") String registryUrl) {
        return new InboundDecoder(registryUrl);
    }

    void close(@Disposes InboundDecoder decoder) {
        decoder.close();
    }
}
