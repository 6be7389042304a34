package dms.common.kafka;

import dms.devstack.KafkaBroker;
import dms.devstack.RepoRoot;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/** A real broker (devstack's, as the e2e tests run it) in a folder of its own, for one test class. */
final class TestBroker implements AutoCloseable {

    private final Path folder;
    private final KafkaBroker broker;

    private TestBroker(Path folder, KafkaBroker broker) {
        this.folder = folder;
        this.broker = broker;
    }

    /** Skips the test class when the broker's jars are not collected (mvn verify packages devstack/kafka-libs before common's tests). */
    static TestBroker start(String name) throws Exception {
        Path libs = RepoRoot.find().resolve("devstack/kafka-libs/target/lib");
        Assumptions.assumeTrue(Files.isDirectory(libs), "no broker jars in " + libs + ": package devstack/kafka-libs first");
        Path folder = Files.createTempDirectory(Path.of("/tmp"), "dms-" + name + "-");
        return new TestBroker(folder, new KafkaBroker(folder, libs).start());
    }

    String bootstrapServers() {
        return broker.bootstrapServers();
    }

    @Override
    public void close() throws Exception {
        broker.stop();
        try (var files = Files.walk(folder)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }
}
