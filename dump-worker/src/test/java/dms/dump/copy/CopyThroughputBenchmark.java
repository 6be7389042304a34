package dms.dump.copy;

import dms.common.pg.ReplicationSlots;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dms.common.messages.ConnectionProfile;
import dms.common.messages.CopyRange;
import dms.devstack.PgCluster;
import dms.dump.catalog.TableCatalog;
import dms.dump.catalog.TableInfo;
import dms.common.pg.PgConnector;
import dms.dump.snapshot.SlotSnapshot;
import dms.dump.testing.TestClusters;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Throughput of TableCopier on a ~500 MB table, whole and in 2 parallel ranges (key, ctid), against
 * {@code psql \copy ... | psql \copy} on the same data. Not part of the default test run (surefire
 * runs *Test classes only); run it with {@code mvn test -pl dump-worker -Dtest=CopyThroughputBenchmark}.
 */
@Tag("benchmark")
class CopyThroughputBenchmark {

    private static final String DB = "bench";
    private static final String DDL = "CREATE TABLE wide (id bigint PRIMARY KEY, a text, b text, n numeric, t timestamptz, i int)";
    private static final int ROWS = Integer.getInteger("bench.rows", 2_400_000);

    @Test
    void copyThroughput() throws Exception {
        try (TestClusters clusters = TestClusters.start("source", "destination")) {
            PgCluster source = clusters.cluster(0);
            PgCluster destination = clusters.cluster(1);
            ConnectionProfile sp = clusters.profile(0);
            ConnectionProfile dp = clusters.profile(1);
            PgConnector connector = clusters.connector;
            source.createDatabase(DB);
            destination.createDatabase(DB);
            long t0 = System.nanoTime();
            source.execute(DB, DDL + "; INSERT INTO wide SELECT g, repeat(md5(g::text), 3), md5((-g)::text) || ' ' || g,"
                    + " g * 1.37, '2024-01-01'::timestamptz + g * interval '1 second', g % 1000 FROM generate_series(1, " + ROWS + ") g");
            source.execute(DB, "VACUUM ANALYZE wide");
            destination.execute(DB, DDL);
            TableInfo table;
            try (Connection c = connector.open(sp, DB)) {
                table = TableCatalog.list(c).get(0);
            }
            double mb = table.sizeBytes() / 1e6;
            System.out.printf("%n== bench: table of %d rows, %.0f MB (pg_table_size), generated in %d s%n", ROWS, mb,
                    (System.nanoTime() - t0) / 1_000_000_000);

            try (SlotSnapshot snapshot = SlotSnapshot.create(connector, sp, DB, "bench_pub", "bench_slot", List.of(table))) {
                for (int round = 1; round <= 2; round++) {
                    for (String variant : new String[] {"whole", "2 key ranges", "2 ctid ranges"}) {
                        int parallel = variant.startsWith("2") ? 2 : 1;
                        destination.execute(DB, "TRUNCATE wide");
                        destination.execute(DB, "CHECKPOINT");
                        source.execute(DB, "CHECKPOINT");
                        List<CopyRange> ranges = switch (variant) {
                            case "whole" -> List.of(CopyRange.WHOLE);
                            case "2 key ranges" -> rangesOf(connector, sp, table, table.sizeBytes() / 2 + 1);
                            default -> {
                                long half = Long.parseLong(source.queryForString(DB, "SELECT pg_relation_size('wide') / 8192 / 2"));
                                yield List.of(new CopyRange(CopyRange.Kind.CTID, null, 0L, half),
                                        new CopyRange(CopyRange.Kind.CTID, null, half, null));
                            }
                        };
                        long start = System.nanoTime();
                        long rows = 0;
                        long bytes = 0;
                        CopyFormat format = null;
                        ExecutorService pool = Executors.newFixedThreadPool(parallel);
                        try {
                            List<Future<CopyResult>> futures = new ArrayList<>();
                            for (CopyRange r : ranges) {
                                futures.add(pool.submit(() -> {
                                    try (Connection s = connector.open(sp, DB); Connection d = connector.open(dp, DB)) {
                                        return new TableCopier(s, d).copy(table, r, snapshot.snapshotName(), false);
                                    }
                                }));
                            }
                            for (Future<CopyResult> f : futures) {
                                CopyResult result = f.get();
                                rows += result.rows();
                                bytes += result.bytes();
                                format = result.format();
                            }
                        } finally {
                            pool.shutdownNow();
                        }
                        double seconds = (System.nanoTime() - start) / 1e9;
                        assertEquals(ROWS, rows);
                        System.out.printf("== bench round %d: TableCopier %s, %s: %.1f s, %.1f MB/s of table, %.1f MB/s streamed%n",
                                round, format, variant, seconds, mb / seconds, bytes / 1e6 / seconds);
                    }
                    destination.execute(DB, "TRUNCATE wide");
                    destination.execute(DB, "CHECKPOINT");
                    source.execute(DB, "CHECKPOINT");
                    double seconds = psqlPipe(source, destination);
                    assertEquals(String.valueOf(ROWS), destination.queryForString(DB, "SELECT count(*) FROM wide"));
                    System.out.printf("== bench round %d: psql \\copy | psql \\copy (text): %.1f s, %.1f MB/s of table%n",
                            round, seconds, mb / seconds);
                }
            } finally {
                ReplicationSlots.dropSlotAndPublication(connector, sp, DB, "bench_slot", "bench_pub");
            }
        }
    }

    private static List<CopyRange> rangesOf(PgConnector connector, ConnectionProfile profile, TableInfo table, long target) throws Exception {
        try (Connection c = connector.open(profile, DB)) {
            List<CopyRange> ranges = TableCopier.planRanges(c, table, target);
            assertEquals(2, ranges.size(), ranges.toString());
            return ranges;
        }
    }

    /** The same copy with the stock tools, text format, one stream. */
    private static double psqlPipe(PgCluster source, PgCluster destination) throws Exception {
        String out = "psql -X -q -h 127.0.0.1 -p " + source.port() + " -U dms -d " + DB + " -c '\\copy (SELECT * FROM wide) to stdout'";
        String in = "psql -X -q -h 127.0.0.1 -p " + destination.port() + " -U dms -d " + DB + " -c '\\copy wide from stdin'";
        ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -o pipefail; " + out + " | " + in).inheritIO();
        pb.environment().put("PGPASSWORD", PgCluster.PASSWORD);
        long start = System.nanoTime();
        int exit = pb.start().waitFor();
        assertEquals(0, exit, "psql pipeline");
        return (System.nanoTime() - start) / 1e9;
    }
}
