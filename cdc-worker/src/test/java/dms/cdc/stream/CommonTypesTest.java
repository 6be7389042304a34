package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.apply.TableRef;
import dms.cdc.promote.DrainResult;
import dms.cdc.testing.CdcFixture;
import dms.cdc.testing.WithClusters;
import dms.common.sql.Lsn;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Inserts, updates and deletes of rows of many types reach the destination exactly (checksums equal). */
class CommonTypesTest extends WithClusters {


    static final String SCHEMA = """
            CREATE EXTENSION IF NOT EXISTS hstore;
            CREATE DOMAIN posint AS integer CHECK (VALUE > 0);
            CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy é');
            CREATE TABLE types (
              id bigint PRIMARY KEY, i2 smallint, i4 integer, i8 bigint, n numeric, n2 numeric(12,4), f4 real, f8 double precision,
              b boolean, t text, vc varchar(20), c char(5), d date, ts timestamp, tz timestamptz, tm time, tmtz timetz, iv interval,
              by bytea, j json, jb jsonb, u uuid, e mood, ia integer[], ta text[], na numeric[], inet_c inet, cidr_c cidr, mac macaddr,
              money_c money, r int4range, x xml, pt point, tsv tsvector, oid_c oid, ba bytea[], ea mood[], tza timestamptz[],
              hs hstore, dm posint, tta timetz[], da date[], bt bit(4), vb varbit, bx box, cr circle, pg polygon, ls lseg,
              lsn pg_lsn, ch "char", tq tsquery, m8 macaddr8, iva interval[], jba jsonb[], dr daterange, tsr tstzrange, ma money[],
              nn date NOT NULL DEFAULT '2000-01-01', nt text NOT NULL DEFAULT 'x');
            INSERT INTO types (id, t, n) VALUES (1, 'initial one', 1), (2, 'initial two', 2), (3, 'to delete', 3);
            """;

    static final String ROW = """
            INSERT INTO types VALUES (%d, -32768, 2147483647, -9223372036854775808, %s, 12345678.1234, 3.14159, %s,
              true, E'héllo wörld 🎉 日本語 "quoted" \\\\ back\\nline', 'varchar ü', 'ab', '2024-02-29', '1999-12-31 23:59:59.999999',
              '2024-06-01 12:34:56.123456+02', '23:59:59.999999', '10:15:30.5+05:30', '1 year 2 mons 3 days 04:05:06.789',
              '\\x00ff10deadbeef', '{"a": [1, 2.50, "x"], "b":null}', '{"z": 1, "a": {"k": [true, false]}}',
              'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', 'happy é', '{1,NULL,3}', '{"a b","c,d","e\\"f",NULL,"NULL"}', '{1.5,-0.001,12345678901234567890.123456789}',
              '192.168.0.1/24', '10.0.0.0/8', '08:00:2b:01:02:03', '12.34', '[1,10)', '<a x="1">text &amp; more</a>', '(1.5,-2.25)',
              'the quick brown fox', 4000000000, '{"\\\\x0102",NULL}', '{sad,"happy é"}', '{"2020-01-01 00:00:00+00","2021-06-01 10:00:00.5+00"}',
              '"a"=>"1", "b c"=>NULL, "q\\"x"=>"é"', 42)
            """;

    @Test
    void insertsUpdatesAndDeletesOfCommonTypesArriveEqual() throws Exception {
        TableRef types = new TableRef("public", "types");
        CdcFixture f = new CdcFixture(clusters, "types-job", "types_db");
        f.prepare(SCHEMA, List.of(types));
        // Output styles set on the source database only (a walsender would use them): values still arrive exact.
        f.onSource("ALTER DATABASE types_db SET IntervalStyle = 'sql_standard'");
        f.onSource("ALTER DATABASE types_db SET DateStyle = 'SQL, DMY'");
        CdcStream stream = f.start();
        Lsn before = f.sourceWalLsn();
        f.onSource(ROW.formatted(10, "123456789012345678901234567890.123456789", "0.1"));
        f.onSource(ROW.formatted(11, "'NaN'", "'Infinity'"));
        f.onSource(ROW.formatted(12, "-0.000000000000000000001", "1e-300"));
        f.onSource("INSERT INTO types (id) VALUES (13)"); // all NULLs
        f.onSource("UPDATE types SET t = 'updated', n = n + 1, jb = '[]', ia = '{}' WHERE id IN (1, 10)");
        f.onSource("UPDATE types SET tz = '-infinity', d = 'infinity', ts = '-infinity' WHERE id = 12");
        f.onSource("UPDATE types SET tz = 'infinity', d = '-infinity', ts = 'infinity', tmtz = '23:00:00-03' WHERE id = 11");
        f.onSource("UPDATE types SET na = '{1.5,NaN,Infinity,-Infinity,NULL}', tza = '{infinity,-infinity,\"2020-01-01 10:00:00+02\"}', "
                + "tta = '{10:00+05:30,\"23:00:00-03\"}', da = '{infinity,2024-02-29,0044-03-15 BC}' WHERE id = 11");
        f.onSource("UPDATE types SET bt = B'1010', vb = B'10110', bx = '((0,0),(1.5,2))', cr = '<(1,2),3.25>', pg = '((0,0),(1,1),(1,0))', "
                + "ls = '[(0,0),(1e-300,1)]', lsn = '16/B374D848', ch = 'x', tq = 'fat & (rat | cat)', m8 = '08:00:2b:01:02:03:04:05', "
                + "iva = '{\"1 day\",\"-00:00:01.5\"}', jba = ARRAY['{\"a\": 1}'::jsonb, '[]'], dr = '[2024-01-01,infinity)', "
                + "tsr = '(-infinity,\"2024-06-01 10:00:00+02\"]', ma = '{1.5,-1234567.89,NULL}' WHERE id = 12");
        f.onSource("UPDATE types SET iv = '-1 day -02:03:04', iva = '{\"-1 year -2 mons\",\"1 day -00:00:01\"}', "
                + "d = '2024-02-01' WHERE id = 13");
        f.onSource("UPDATE types SET tz = '0044-03-15 10:00:00+01 BC', d = '5874897-12-31', ts = '294276-12-31 23:59:59.999999' "
                + "WHERE id = 10");
        f.onSource("DELETE FROM types WHERE id = 3");
        f.onSource("BEGIN; INSERT INTO types (id, t) VALUES (20, 'in a tx'); UPDATE types SET t = 'in a tx too' WHERE id = 2; COMMIT");
        Lsn afterLastCommit = f.sourceWalLsn();
        DrainResult drained = f.drain(stream);
        f.assertSameRows(types, List.of("id"));
        assertTrue(drained.appliedLsn().compareTo(drained.targetLsn()) >= 0, drained.toString());
        assertTrue(drained.targetLsn().compareTo(afterLastCommit) >= 0);
        stream.completion().get(30, TimeUnit.SECONDS); // the drain completes before the engine has stopped
        assertEquals(StreamLifecycle.State.STOPPED, stream.state());
        assertTrue(stream.position().commitLsn().isAfter(before));
        // 13 source transactions + the drain marker
        assertEquals(14, stream.stats().appliedTransactions(), stream.stats().toString());
        assertEquals(f.sourceQuery("SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = '" + f.slot + "'"),
                stream.position().commitLsn().toString(), "the slot confirms exactly the applied position");
        assertEquals(stream.position().commitLsn().toString(), f.destinationQuery(
                "SELECT commit_lsn::text FROM dms_internal.cdc_position WHERE job_id = 'types-job' AND database = 'types_db'"));
    }
}
