package dms.common.messages;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The data check of one table (verify from CDC on): row count and md5 of the rows in key order
 * on both sides. {@code detail} says why a table differs or was skipped, and how it was compared.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TableCheck(String database, String schema, String table, Result result, Long sourceRows,
                         Long destinationRows, Integer chunks, String detail) {

    public enum Result { EQUAL, DIFFERS, SKIPPED }

    public String qualifiedName() {
        return database + "." + schema + "." + table;
    }
}
