package dev.runway.validator;

import dev.runway.testsupport.BackboneHealthContract;
import dev.runway.testsupport.BackboneTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(value = BackboneTestResource.class, initArgs = {
        @ResourceArg(name = "database", value = "runway_validator_test"), @ResourceArg(name = "jdbc", value = "true") })
class BackboneHealthTest extends BackboneHealthContract {

    @Override
    protected String[] expectedReadinessChecks() {
        return new String[] { KAFKA, POSTGRES };
    }
}
