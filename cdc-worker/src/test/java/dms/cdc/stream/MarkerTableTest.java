package dms.cdc.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dms.cdc.apply.SourceTransaction;
import dms.cdc.apply.TableRef;
import dms.common.pg.WalMarker;
import dms.common.sql.Lsn;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Before PostgreSQL 14 a marker is a row of the slot's marker table (docs/cdc.md#markers): the assembler turns a
 * transaction that writes it into a marker transaction at its commit LSN, and never hands the row on to apply.
 * Records shaped as Debezium's (envelope, BEGIN/END with the commit LSN in the offset).
 */
class MarkerTableTest {

    private static final String SLOT = "dms_job_1_0a1b2c3d";
    private static final TableRef MARKERS = new TableRef(WalMarker.SCHEMA, WalMarker.table(SLOT));
    private static final TableRef ITEMS = new TableRef("public", "items");

    private final TransactionAssembler assembler = new TransactionAssembler(new ChangeDecoder("__unchanged__"), WalMarker.PREFIX,
            MARKERS, Map.of(), Lsn.ZERO, new TransactionAssembler.PartLimits(1000, 1L << 20));

    @Test
    void aTransactionOfTheMarkerRowAloneIsAMarkerAtItsCommit() {
        List<SourceTransaction> out = feed(List.of(
                begin(7), change(MARKERS, "c", Map.of("slot", SLOT, "token", SLOT + ":heartbeat")), end(7, 5000)));
        assertEquals(1, out.size());
        assertEquals(List.of(), out.get(0).changes(), "the marker row is not applied");
        assertEquals(SLOT + ":heartbeat", out.get(0).drainMarker());
        assertEquals(new Lsn(5000), out.get(0).commitLsn());
    }

    @Test
    void theLastTokenOfAnUpdateCountsAndOtherTransactionsCarryNone() {
        List<SourceTransaction> out = feed(List.of(
                begin(8), change(ITEMS, "c", Map.of("id", "1")), end(8, 6000),
                begin(9), change(MARKERS, "u", Map.of("slot", SLOT, "token", SLOT + ":drain-1")), end(9, 7000),
                begin(10), change(ITEMS, "u", Map.of("id", "1")), end(10, 8000)));
        assertEquals(3, out.size());
        assertNull(out.get(0).drainMarker());
        assertEquals(1, out.get(0).changes().size());
        assertEquals(SLOT + ":drain-1", out.get(1).drainMarker());
        assertTrue(out.get(1).changes().isEmpty());
        assertNull(out.get(2).drainMarker(), "a token does not outlive its transaction");
    }

    private List<SourceTransaction> feed(List<SourceRecord> records) {
        List<SourceTransaction> out = new ArrayList<>();
        for (SourceRecord r : records) {
            Optional<TransactionAssembler.Piece<Object>> piece = assembler.accept(r, r);
            piece.ifPresent(p -> out.add(((TransactionAssembler.Completed<Object>) p).transaction()));
        }
        return out;
    }

    private static final Schema TX = SchemaBuilder.struct().field("status", Schema.STRING_SCHEMA).field("id", Schema.STRING_SCHEMA)
            .field("ts_ms", Schema.OPTIONAL_INT64_SCHEMA).build();
    private static final Schema SOURCE = SchemaBuilder.struct().field("schema", Schema.STRING_SCHEMA)
            .field("table", Schema.STRING_SCHEMA).build();

    private static SourceRecord begin(long xid) {
        return boundary("BEGIN", xid, Map.of("lsn", 1L));
    }

    private static SourceRecord end(long xid, long commitLsn) {
        return boundary("END", xid, Map.of("lsn", commitLsn, "lsn_commit", commitLsn));
    }

    private static SourceRecord boundary(String status, long xid, Map<String, ?> offset) {
        Struct value = new Struct(TX).put("status", status).put("id", xid + ":1").put("ts_ms", 1L);
        return new SourceRecord(Map.of(), offset, "slot.transaction", TX, value);
    }

    private static SourceRecord change(TableRef table, String op, Map<String, String> row) {
        SchemaBuilder rowSchema = SchemaBuilder.struct().optional();
        row.keySet().stream().sorted().forEach(c -> rowSchema.field(c, Schema.OPTIONAL_STRING_SCHEMA));
        Schema rowType = rowSchema.build();
        Schema envelope = SchemaBuilder.struct().field("op", Schema.STRING_SCHEMA).field("before", rowType)
                .field("after", rowType).field("source", SOURCE).build();
        Struct after = new Struct(rowType);
        row.forEach(after::put);
        Struct value = new Struct(envelope).put("op", op).put("after", after)
                .put("source", new Struct(SOURCE).put("schema", table.schema()).put("table", table.name()));
        return new SourceRecord(Map.of(), Map.of("lsn", 100L), "slot." + table.schema() + "." + table.name(), envelope, value);
    }
}
