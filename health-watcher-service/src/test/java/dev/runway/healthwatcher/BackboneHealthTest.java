package dev.runway.healthwatcher;

import dev.runway.testsupport.BackboneHealthContract;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = { @ResourceArg(name = "database", value = "runway_health_test"), @ResourceArg(name = "jdbc", value = "true") })
class BackboneHealthTest extends BackboneHealthContract {

    @Override
    protected String[] expectedReadinessChecks() {
        return new String[] { KAFKA, POSTGRES, INBOUND };
    }
}
