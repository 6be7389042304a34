package dms.orchestrator.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dms.common.json.Json;
import dms.common.messages.MigrationJob;
import java.nio.charset.StandardCharsets;

/**
 * Keeps a job document under {@link #MAX_BYTES}, so that it (and a single job's Operation, which
 * carries it) stays below Kafka's message limit (1 MiB by default). What grows with a job's size is
 * the per-table copy list of each database ({@code databaseProgress[].tables}, at most 100 entries
 * each): a job of many databases lists fewer tables per database, down to none. The counters
 * ({@code tablesTotal}, {@code tablesCopied}, ...) are never cut.
 */
public final class JobDocumentSize {

    /** Half the default message limit: room for the Operation around a document, and for headers. */
    public static final int MAX_BYTES = 512 * 1024;
    private static final int[] TABLES_PER_DATABASE = {20, 5, 0};

    private JobDocumentSize() {}

    public static MigrationJob fit(MigrationJob doc) {
        return fit(doc, MAX_BYTES);
    }

    static MigrationJob fit(MigrationJob doc, int maxBytes) {
        if (bytes(doc) <= maxBytes) {
            return doc;
        }
        JsonNode tree = Json.tree(doc);
        for (int keep : TABLES_PER_DATABASE) {
            tree.path("databaseProgress").forEach(db -> {
                if (db.path("tables") instanceof ArrayNode tables) {
                    while (tables.size() > keep) {
                        tables.remove(tables.size() - 1); // the list has the tables not copied yet first
                    }
                }
            });
            if (Json.write(tree).getBytes(StandardCharsets.UTF_8).length <= maxBytes) {
                break;
            }
        }
        return Json.convert(tree, MigrationJob.class);
    }

    static int bytes(Object value) {
        return Json.write(value).getBytes(StandardCharsets.UTF_8).length;
    }
}
