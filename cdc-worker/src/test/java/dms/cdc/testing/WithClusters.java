package dms.cdc.testing;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** A source and a destination cluster for the test class (started before its first test, stopped after its last). */
public abstract class WithClusters {

    protected static TestClusters clusters;

    @BeforeAll
    static void startClusters() {
        clusters = TestClusters.start("source", "destination");
    }

    @AfterAll
    static void stopClusters() {
        clusters.close();
    }
}
