package dms.common.validation;

import dms.common.messages.Command;
import dms.common.messages.CommandType;
import dms.common.messages.ConnectionProfile;
import dms.common.messages.JobPatch;
import dms.common.messages.JobSpec;
import dms.common.tls.Pem;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a command's fields, naming every bad one. The same rules serve the REST API (400)
 * and the orchestrator (dead-letter queue for a command sent straight to Kafka).
 */
public final class CommandValidator {

    public static final int MAX_BATCH = 1000;
    /** Databases named by one job: each is a slot, a publication and its own tasks. */
    public static final int MAX_DATABASES = 1000;
    /** Replication groups of one database, at most (cdcParallelism). */
    public static final int MAX_CDC_PARALLELISM = 8;
    private static final int MAX_DISPLAY_NAME = 256;
    private static final Pattern COMMAND_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    private static final String PROFILE_EDITABLE = "displayName, host, port, username, password, sslMode, sslRootCert, sslCert, sslKey";
    private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full");

    private CommandValidator() {}

    public static List<FieldError> validate(Command c) {
        List<FieldError> errors = new ArrayList<>();
        if (c.commandId() == null || !COMMAND_ID.matcher(c.commandId()).matches()) {
            errors.add(new FieldError("commandId", "required: 1-128 letters, digits, '.', '_', ':' or '-'"));
        }
        if (c.type() == null) {
            errors.add(new FieldError("type", "required"));
            return errors;
        }
        switch (c.type()) {
            case CREATE_CONNECTION_PROFILE -> profile(c.connectionProfile(), "connectionProfile", errors);
            case UPDATE_CONNECTION_PROFILE -> {
                id(c.profileId(), "profileId", errors);
                profileChanges(c.profileId(), c.connectionProfile(), "connectionProfile", errors);
            }
            case DELETE_CONNECTION_PROFILE, LIST_DATABASES -> id(c.profileId(), "profileId", errors);
            case CREATE_JOB -> job(c.job(), "job", errors);
            case UPDATE_JOB -> {
                id(c.jobId(), "jobId", errors);
                patch(c.patch(), "patch", errors);
            }
            default -> targets(c, errors);
        }
        if (c.databases() != null) {
            databases(c.databases(), "databases", errors);
        }
        if (c.skipValidation() != null && c.type() != CommandType.START && c.type() != CommandType.RESTART) {
            errors.add(new FieldError("skipValidation", "only START and RESTART take skipValidation"));
        }
        return errors;
    }

    private static void targets(Command c, List<FieldError> errors) {
        boolean batch = c.jobIds() != null;
        if (batch && c.jobId() != null) {
            errors.add(new FieldError("jobIds", "give jobId or jobIds, not both"));
        }
        if (!batch) {
            id(c.jobId(), "jobId", errors);
            return;
        }
        if (c.jobIds().isEmpty() || c.jobIds().size() > MAX_BATCH) {
            errors.add(new FieldError("jobIds", "1 to " + MAX_BATCH + " job ids"));
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < c.jobIds().size(); i++) {
            String jobId = c.jobIds().get(i);
            id(jobId, "jobIds[" + i + "]", errors);
            if (jobId != null && !seen.add(jobId)) {
                errors.add(new FieldError("jobIds[" + i + "]", "duplicate job id " + jobId));
            }
        }
    }

    public static void profile(ConnectionProfile p, String path, List<FieldError> errors) {
        if (p == null) {
            errors.add(new FieldError(path, "required"));
            return;
        }
        id(p.id(), path + ".id", errors);
        profileFields(p, path, true, errors);
    }

    /**
     * The changes of a profile edit: the fields of a creation, each optional (an empty password or
     * TLS file removes it), at least one; the id, if given, the edited profile's.
     */
    public static void profileChanges(String profileId, ConnectionProfile p, String path, List<FieldError> errors) {
        if (p == null || p.isNoChange()) {
            errors.add(new FieldError(path, "required: at least one of " + PROFILE_EDITABLE));
            return;
        }
        if (p.id() != null && !p.id().equals(profileId)) {
            errors.add(new FieldError(path + ".id", "a profile's id cannot change: leave it out"));
        }
        profileFields(p, path, false, errors);
    }

    private static void profileFields(ConnectionProfile p, String path, boolean creation, List<FieldError> errors) {
        displayName(p.displayName(), path + ".displayName", errors);
        if ((creation || p.host() != null) && !HostNames.isValid(p.host())) {
            errors.add(new FieldError(path + ".host", (p.host() == null || p.host().isEmpty() ? "required: " : "not ") + HostNames.RULE));
        }
        if ((creation || p.port() != null) && (p.port() == null || p.port() < 1 || p.port() > 65535)) {
            errors.add(new FieldError(path + ".port", "required: 1-65535"));
        }
        if ((creation || p.username() != null) && (p.username() == null || p.username().isBlank() || p.username().length() > 63)) {
            errors.add(new FieldError(path + ".username", "required: 1-63 characters"));
        }
        if (p.password() != null && p.password().length() > 1024) {
            errors.add(new FieldError(path + ".password", "at most 1024 characters"));
        }
        if (p.sslMode() != null && !SSL_MODES.contains(p.sslMode())) {
            errors.add(new FieldError(path + ".sslMode", "one of " + String.join(", ", new java.util.TreeSet<>(SSL_MODES))));
        }
        pem(p.sslRootCert(), path + ".sslRootCert", Pem::requireCertificates, errors);
        pem(p.sslCert(), path + ".sslCert", Pem::requireCertificates, errors);
        pem(p.sslKey(), path + ".sslKey", Pem::pkcs8Key, errors);
    }

    /** A PEM field, when given and not empty (empty removes it); the message never quotes the text. */
    private static void pem(String text, String field, java.util.function.Consumer<String> check, List<FieldError> errors) {
        if (text == null || text.isEmpty()) {
            return;
        }
        try {
            check.accept(text);
        } catch (IllegalArgumentException e) {
            errors.add(new FieldError(field, e.getMessage()));
        }
    }

    public static void job(JobSpec j, String path, List<FieldError> errors) {
        if (j == null) {
            errors.add(new FieldError(path, "required"));
            return;
        }
        id(j.id(), path + ".id", errors);
        displayName(j.displayName(), path + ".displayName", errors);
        id(j.source(), path + ".source", errors);
        id(j.destination(), path + ".destination", errors);
        if (j.source() != null && j.source().equals(j.destination())) {
            errors.add(new FieldError(path + ".destination", "must differ from the source profile"));
        }
        if (j.databases() != null) {
            databases(j.databases(), path + ".databases", errors);
        }
        cdcParallelism(j.cdcParallelism(), path + ".cdcParallelism", errors);
    }

    public static void patch(JobPatch p, String path, List<FieldError> errors) {
        if (p == null || p.isEmpty()) {
            errors.add(new FieldError(path, "required: at least one of displayName, databases, dumpParallelism, roles, replicaIdentityFull,"
                    + " cdcParallelism"));
            return;
        }
        displayName(p.displayName(), path + ".displayName", errors);
        if (p.databases() != null) {
            databases(p.databases(), path + ".databases", errors);
        }
        cdcParallelism(p.cdcParallelism(), path + ".cdcParallelism", errors);
    }

    /** Replication groups per database: each is a slot, and each slot decodes all of the source's WAL (docs/cdc.md). */
    private static void cdcParallelism(Integer n, String field, List<FieldError> errors) {
        if (n != null && (n < 1 || n > MAX_CDC_PARALLELISM)) {
            errors.add(new FieldError(field, "1 to " + MAX_CDC_PARALLELISM + ", got " + n));
        }
    }

    public static void databases(List<String> names, String path, List<FieldError> errors) {
        if (names.size() > MAX_DATABASES) {
            errors.add(new FieldError(path, "at most " + MAX_DATABASES + " databases, got " + names.size()));
            return;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            if (name == null || name.isEmpty() || name.getBytes(StandardCharsets.UTF_8).length > 63 || name.indexOf('\0') >= 0) {
                errors.add(new FieldError(path + "[" + i + "]", "a database name: 1-63 bytes, no NUL"));
            } else if (!seen.add(name)) {
                errors.add(new FieldError(path + "[" + i + "]", "duplicate database " + name));
            } else if (name.equals("template0") || name.equals("template1")) {
                errors.add(new FieldError(path + "[" + i + "]", "template databases are not migrated"));
            }
        }
    }

    private static void id(String id, String field, List<FieldError> errors) {
        if (!ResourceIds.isValid(id)) {
            errors.add(new FieldError(field, id == null ? "required" : "invalid id '" + abbreviate(id) + "': " + ResourceIds.RULE));
        }
    }

    private static void displayName(String name, String field, List<FieldError> errors) {
        if (name != null && name.length() > MAX_DISPLAY_NAME) {
            errors.add(new FieldError(field, "at most " + MAX_DISPLAY_NAME + " characters"));
        }
    }

    static String abbreviate(String s) {
        return s.length() <= 70 ? s : s.substring(0, 67) + "...";
    }
}
