package dms.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * The tables the CDC bench's inserts and updates go to: one table {@code events}, or {@code events_1 .. events_K}
 * with source transaction {@code t} (rows {@code t * perTx + 1 .. (t + 1) * perTx}) in table {@code t % K}, so a
 * load spreads evenly over tables that cdcParallelism can put in different groups. Ids stay unique over all tables
 * and ascend within each, so "the destination holds a table's last id" means it holds all of that table's rows
 * (both consumers apply a slot's transactions in commit order).
 */
final class EventTables {

    private final List<String> names;
    private final int perTransaction;

    EventTables(int count, int perTransaction) {
        if (count < 1) {
            throw new IllegalArgumentException("--tables must be at least 1");
        }
        List<String> n = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            n.add(count == 1 ? "events" : "events_" + k);
        }
        this.names = List.copyOf(n);
        this.perTransaction = perTransaction;
    }

    List<String> names() {
        return names;
    }

    String createStatements() {
        StringBuilder sql = new StringBuilder();
        for (String t : names) {
            sql.append("CREATE TABLE ").append(t).append(" (id bigint PRIMARY KEY, kind int NOT NULL, body text,")
                    .append(" at timestamptz NOT NULL DEFAULT now());");
        }
        return sql.toString();
    }

    String publicationList() {
        return String.join(", ", names);
    }

    /** The table of the row with this id. */
    String tableOf(long id) {
        return names.get((int) (((id - 1) / perTransaction) % names.size()));
    }

    /** The last id of each table once rows {@code 1 .. total} are written (0 for a table with none yet). */
    long lastIdOf(String table, long total) {
        long transactions = total / perTransaction;
        int k = names.indexOf(table);
        if (transactions <= k) {
            return 0;
        }
        long last = (transactions - 1 - k) / names.size() * names.size() + k; // the last transaction index t with t % K == k
        return (last + 1) * perTransaction;
    }

    /**
     * A PL/pgSQL block that writes {@code count / perTx} transactions of {@code perTx} rows after row {@code from},
     * each into its table; {@code statement} is the work on rows {@code $1 + 1 .. $1 + $2} of table {@code %I}, a
     * {@code format()} string (a literal percent sign written {@code %%}).
     */
    String loop(long from, long count, String statement) {
        long transactions = count / perTransaction;
        if (names.size() == 1) {
            String s = statement.replace("%I", names.get(0)).replace("%%", "%").replace("$1", "(" + from + " + t * " + perTransaction + ")")
                    .replace("$2", Integer.toString(perTransaction));
            return "DO $$ BEGIN FOR t IN 0.." + (transactions - 1) + " LOOP " + s + "; COMMIT; END LOOP; END $$";
        }
        long firstTx = from / perTransaction;
        String array = "(ARRAY['" + String.join("','", names) + "'])";
        return "DO $$ BEGIN FOR t IN 0.." + (transactions - 1) + " LOOP EXECUTE format('" + statement.replace("'", "''") + "', "
                + array + "[(" + firstTx + " + t) % " + names.size() + " + 1]) USING " + from + " + t * " + perTransaction + ", "
                + perTransaction + "; COMMIT; END LOOP; END $$";
    }
}
