package dev.runway.validator;

import org.junit.jupiter.api.Test;

import dev.runway.testsupport.ApiSecurityWalker;
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
        return new String[] { KAFKA, POSTGRES, INBOUND };
    }

    @Test
    void everyOperationNeedsAToken() {
        // The validator has no API of its own today (only /q/*); an operation added later is walked here.
        ApiSecurityWalker.covering("validator-test/shop", "someone-else/*", "validator-test").atLeast(0).walk();
    }
}
