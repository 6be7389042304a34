package dms.devstack;

import java.util.List;

/**
 * The common-types set: a table of the types that production databases use (numbers with NaN and infinity,
 * dates and times at their limits, arrays, json, ranges, geometry, enums, domains, hstore) and the
 * changes (13 source transactions: inserts, updates of every kind of value, a delete, a multi-statement
 * transaction) that must reach a destination exactly. Shared by the CDC tests and the version tests.
 */
public final class CommonTypes {

    /** The table {@code types}, with an enum, a domain and hstore, and three rows. */
    public static final String SCHEMA = """
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

    /** A row of every type with id, {@code n} and {@code f8} as format arguments. */
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

    /** numeric's special values in an array: infinity exists from PostgreSQL 14 on, NaN before. */
    private static final String NUMERIC_SPECIALS = "'{1.5,NaN,Infinity,-Infinity,NULL}'";
    private static final String NUMERIC_SPECIALS_BEFORE_14 = "'{1.5,NaN,NULL}'";

    private CommonTypes() {
    }

    /**
     * The transactions a source of PostgreSQL {@code sourceMajor} can run: the same 13, with the values its types lack
     * left out (before 14, numeric has no infinity; docs/versions.md).
     */
    public static List<String> changes(int sourceMajor) {
        return sourceMajor >= 14 ? changes()
                : changes().stream().map(sql -> sql.replace(NUMERIC_SPECIALS, NUMERIC_SPECIALS_BEFORE_14)).toList();
    }

    /** The 13 transactions, one SQL text each, in order. */
    public static List<String> changes() {
        return List.of(
                ROW.formatted(10, "123456789012345678901234567890.123456789", "0.1"),
                ROW.formatted(11, "'NaN'", "'Infinity'"),
                ROW.formatted(12, "-0.000000000000000000001", "1e-300"),
                "INSERT INTO types (id) VALUES (13)", // all NULLs
                "UPDATE types SET t = 'updated', n = n + 1, jb = '[]', ia = '{}' WHERE id IN (1, 10)",
                "UPDATE types SET tz = '-infinity', d = 'infinity', ts = '-infinity' WHERE id = 12",
                "UPDATE types SET tz = 'infinity', d = '-infinity', ts = 'infinity', tmtz = '23:00:00-03' WHERE id = 11",
                "UPDATE types SET na = " + NUMERIC_SPECIALS + ", tza = '{infinity,-infinity,\"2020-01-01 10:00:00+02\"}', "
                + "tta = '{10:00+05:30,\"23:00:00-03\"}', da = '{infinity,2024-02-29,0044-03-15 BC}' WHERE id = 11",
                "UPDATE types SET bt = B'1010', vb = B'10110', bx = '((0,0),(1.5,2))', cr = '<(1,2),3.25>', pg = '((0,0),(1,1),(1,0))', "
                + "ls = '[(0,0),(1e-300,1)]', lsn = '16/B374D848', ch = 'x', tq = 'fat & (rat | cat)', m8 = '08:00:2b:01:02:03:04:05', "
                + "iva = '{\"1 day\",\"-00:00:01.5\"}', jba = ARRAY['{\"a\": 1}'::jsonb, '[]'], dr = '[2024-01-01,infinity)', "
                + "tsr = '(-infinity,\"2024-06-01 10:00:00+02\"]', ma = '{1.5,-1234567.89,NULL}' WHERE id = 12",
                "UPDATE types SET iv = '-1 day -02:03:04', iva = '{\"-1 year -2 mons\",\"1 day -00:00:01\"}', "
                + "d = '2024-02-01' WHERE id = 13",
                "UPDATE types SET tz = '0044-03-15 10:00:00+01 BC', d = '5874897-12-31', ts = '294276-12-31 23:59:59.999999' "
                + "WHERE id = 10",
                "DELETE FROM types WHERE id = 3",
                "BEGIN; INSERT INTO types (id, t) VALUES (20, 'in a tx'); UPDATE types SET t = 'in a tx too' WHERE id = 2; COMMIT");
    }
}
