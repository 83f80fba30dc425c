package dev.runway.executor;

import dev.runway.testsupport.BackboneHealthContract;
import dev.runway.executor.support.ExecutorTestResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
@QuarkusTestResource(ExecutorTestResource.class)
class BackboneHealthTest extends BackboneHealthContract {

    @Override
    protected String[] expectedReadinessChecks() {
        return new String[] { KAFKA, POSTGRES, INBOUND };
    }
}
