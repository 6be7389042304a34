package dms.common.messages;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Names of the slot and publication a job owns on the source for one database. Slot names
 * allow only lower-case letters, digits and underscores (63 at most), and database names
 * allow anything, so the database is represented by a short hash.
 */
public final class ReplicationNames {

    private ReplicationNames() {}

    public static String slot(String jobId, String database) {
        return base(jobId, database);
    }

    public static String publication(String jobId, String database) {
        return base(jobId, database) + "_pub";
    }

    private static String base(String jobId, String database) {
        String job = jobId.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "_");
        if (job.length() > 40) {
            job = job.substring(0, 40);
        }
        return "dms_" + job + "_" + hash(jobId + "\0" + database);
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
