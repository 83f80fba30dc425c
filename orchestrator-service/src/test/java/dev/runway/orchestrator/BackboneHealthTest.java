package dev.runway.orchestrator;

import dev.runway.testsupport.BackboneHealthContract;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_orchestrator_test"),
        @ResourceArg(name = "redis", value = "true") })
class BackboneHealthTest extends BackboneHealthContract {

    @Override
    protected String[] expectedReadinessChecks() {
        return new String[] { KAFKA, POSTGRES, REDIS, INBOUND };
    }
}
