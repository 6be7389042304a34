package dms.devstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A local PostgreSQL cluster in a folder: {@code data/} (PGDATA), {@code run/} (its unix socket) and a log.
 * The folder outlives the server: start() on an initialized folder reuses it, so data survives a stop.
 * Connections are TCP on 127.0.0.1 as superuser {@code dms}/{@code dms}, the way the services connect.
 */
public final class PgCluster implements AutoCloseable {
    public static final String USER = "dms";
    public static final String PASSWORD = "dms";
    /** Our settings, included from postgresql.conf and rewritten at every start. */
    static final String SETTINGS_FILE = "dms.conf";
    private static final Duration PG_CTL_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern PORT_LINE = Pattern.compile("(?m)^port = '(\\d+)'");

    private final String name;
    private final Path folder;
    private final Path dataDir;
    private final PgBinaries bin;
    private final Map<String, String> settings = new LinkedHashMap<>();
    private Path logFile;
    private Path stackDir;
    private int port;

    /** A cluster named {@code name} (used in messages) in {@code folder}; nothing happens on disk until start(). */
    public PgCluster(String name, Path folder) {
        this(name, folder, PgBinaries.locate());
    }

    /**
     * A cluster of PostgreSQL {@code major} (e.g. 12 or 17, for the version tests): the machine's server if it
     * is that major, else one from devstack/pg-servers.
     */
    public PgCluster(String name, Path folder, int major) {
        this(name, folder, PgBinaries.ofMajor(major));
    }

    private PgCluster(String name, Path folder, PgBinaries bin) {
        this.name = name;
        this.folder = folder.toAbsolutePath().normalize();
        this.dataDir = this.folder.resolve("data");
        this.bin = bin;
        this.logFile = this.folder.resolve("server.log");
        this.stackDir = this.folder;
        this.port = configuredPort();
        settings.put("listen_addresses", "127.0.0.1");
        settings.put("max_connections", "200");
        // A throwaway local cluster: surviving an OS crash buys nothing, and fsync on a busy disk costs seconds.
        // synchronous_commit stays on: with it off, a SIGKILLed server (see kill()) loses commits it already
        // acknowledged, which would make the fault tests lie. fsync=off alone loses nothing on a process crash.
        settings.put("fsync", "off");
    }

    /** A server setting by name (e.g. wal_level=logical), applied at the next start. */
    public PgCluster setting(String settingName, String value) {
        settings.put(settingName, value);
        return this;
    }

    /** Where the server logs (pg_ctl -l); defaults to {@code <folder>/server.log}. */
    public PgCluster logFile(Path file) {
        this.logFile = file.toAbsolutePath().normalize();
        return this;
    }

    /** The directory that holds the whole stack: we may open its subdirectories to the postgres user. */
    PgCluster stackDir(Path dir) {
        this.stackDir = dir.toAbsolutePath().normalize();
        return this;
    }

    /** Starts the server (initdb first if the folder is new) and waits until it accepts connections. */
    public synchronized PgCluster start() {
        Optional<Long> running = postmasterPid();
        if (running.isPresent()) {
            throw new DevStackException(name + ": a server already runs in " + dataDir + " (pid " + running.get() + "); stop it first");
        }
        try {
            Files.createDirectories(folder);
            bin.ensureTraversable(folder, stackDir);
            if (!isInitialized()) {
                initdb();
            }
            int previous = port;
            port = FreePorts.pickPreferring(port);
            if (previous > 0 && previous != port) {
                System.err.println("devstack: " + name + ": port " + previous + " is taken, using " + port);
            }
            Path socketDir = socketDir();
            Files.createDirectories(socketDir);
            bin.giveToServerUser(socketDir);
            writeSettings(socketDir);
            prepareLogFile();
            Exec.run(bin.command("pg_ctl", "start", "-D", dataDir.toString(), "-l", logFile.toString(),
                    "-w", "-t", String.valueOf(PG_CTL_TIMEOUT.toSeconds()), "-s"), folder, PG_CTL_TIMEOUT.plusSeconds(10));
        } catch (IOException e) {
            throw new DevStackException(name + ": cannot prepare " + folder + ": " + e.getMessage(), e);
        } catch (DevStackException e) {
            throw new DevStackException(name + ": PostgreSQL did not start: " + e.getMessage() + "\n" + LogTail.lastLines(logFile, 40), e);
        }
        return this;
    }

    /** Fast shutdown (rolls back open transactions); a no-op when it is not running. Data is kept. */
    public synchronized void stop() {
        if (postmasterPid().isEmpty()) {
            return;
        }
        Exec.run(bin.command("pg_ctl", "stop", "-D", dataDir.toString(), "-m", "fast", "-w",
                "-t", String.valueOf(PG_CTL_TIMEOUT.toSeconds()), "-s"), folder, PG_CTL_TIMEOUT.plusSeconds(10));
    }

    /**
     * SIGKILL of the postmaster, as in a crash. Its backends notice the postmaster's death and exit on their
     * own; we wait for them (and kill stragglers) so a restart does not find the shared memory still in use.
     */
    public synchronized void kill() {
        Optional<ProcessHandle> postmaster = postmasterPid().flatMap(ProcessHandle::of);
        if (postmaster.isEmpty()) {
            return;
        }
        List<ProcessHandle> backends = postmaster.get().children().toList();
        Processes.kill(postmaster.get());
        for (ProcessHandle backend : backends) {
            if (!Processes.awaitExit(backend, Processes.KILL_WAIT)) {
                Processes.kill(backend);
            }
        }
    }

    /** Stop (if running) and start again on the same port with the same data. */
    public synchronized void restart() {
        stop();
        start();
    }

    public boolean isRunning() {
        return postmasterPid().isPresent();
    }

    /** The postmaster's pid, when one is alive for this data directory. */
    public Optional<Long> postmasterPid() {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            if (!Files.isRegularFile(pidFile)) {
                return Optional.empty();
            }
            String first = Files.readAllLines(pidFile).stream().findFirst().orElse("").trim();
            long pid = Long.parseLong(first);
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).map(ProcessHandle::pid);
        } catch (IOException | NumberFormatException e) {
            return Optional.empty(); // a pid file being written or removed right now
        }
    }

    /** Answers a query over TCP, the way a client does (more than "the process is alive"). */
    public boolean isReady() {
        if (!isRunning()) {
            return false;
        }
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            s.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    public String name() {
        return name;
    }

    /** The TCP port: the one it runs on, or the one it will try first at the next start (0 if never started). */
    public int port() {
        return port;
    }

    public Path folder() {
        return folder;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    /** A libpq URL with the credentials, as pg_dump, psql and the REST API's connection profiles take it. */
    public String libpqUrl(String database) {
        return "postgresql://" + USER + ":" + PASSWORD + "@127.0.0.1:" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", USER);
        props.setProperty("password", PASSWORD);
        props.setProperty("connectTimeout", "5");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /** Creates the database unless it exists. */
    public void createDatabase(String database) {
        try (Connection c = connect("postgres");
             PreparedStatement exists = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, database);
            try (ResultSet rs = exists.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
            try (Statement create = c.createStatement()) {
                create.execute("CREATE DATABASE " + quoteIdentifier(database));
            }
        } catch (SQLException e) {
            throw new DevStackException(name + ": cannot create database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Runs one SQL statement (or several separated by ';', without parameters) in {@code database}. */
    public void execute(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new DevStackException(name + "/" + database + ": " + e.getMessage() + " in: " + sql, e);
        }
    }

    /** The first column of the first row, or null when there is no row. */
    public String queryForString(String database, String sql) {
        try (Connection c = connect(database); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new DevStackException(name + "/" + database + ": " + e.getMessage() + " in: " + sql, e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    private boolean isInitialized() {
        return Files.isRegularFile(dataDir.resolve("PG_VERSION"));
    }

    private void initdb() throws IOException {
        Files.createDirectories(dataDir);
        bin.giveToServerUser(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
        Path pwfile = folder.resolve(".pwfile");
        Files.writeString(pwfile, PASSWORD + "\n");
        Files.setPosixFilePermissions(pwfile, PosixFilePermissions.fromString("rw-------"));
        bin.giveToServerUser(pwfile);
        try {
            // --locale=C: UTF8 works with it whatever locales this machine has installed.
            Exec.run(bin.command("initdb", "-D", dataDir.toString(), "-U", USER, "--pwfile=" + pwfile,
                    "-E", "UTF8", "--locale=C", "--auth-local=trust", "--auth-host=scram-sha-256", "--no-sync"),
                    folder, Duration.ofSeconds(120));
        } finally {
            Files.deleteIfExists(pwfile);
        }
        Files.writeString(dataDir.resolve("postgresql.conf"),
                "\n# devstack (PgCluster) settings: port, WAL level... rewritten at every start\ninclude_if_exists = '"
                        + SETTINGS_FILE + "'\n",
                StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    private void writeSettings(Path socketDir) throws IOException {
        StringBuilder conf = new StringBuilder("# Written by devstack (PgCluster) at every start: edits are lost.\n");
        conf.append("port = '").append(port).append("'\n");
        conf.append("unix_socket_directories = '").append(socketDir.toString().replace("'", "''")).append("'\n");
        settings.forEach((key, value) -> conf.append(key).append(" = '").append(value.replace("'", "''")).append("'\n"));
        Path file = dataDir.resolve(SETTINGS_FILE);
        Files.writeString(file, conf);
        bin.giveToServerUser(file);
    }

    /** pg_ctl opens the log as the postgres user: create it ours-to-postgres first. */
    private void prepareLogFile() throws IOException {
        Files.createDirectories(logFile.getParent());
        if (!Files.exists(logFile)) {
            Files.createFile(logFile);
        }
        bin.giveToServerUser(logFile);
    }

    /** Unix socket paths are limited to ~107 bytes: a deep folder gets a short one under /tmp instead. */
    private Path socketDir() {
        Path preferred = folder.resolve("run");
        if (preferred.toString().length() + "/.s.PGSQL.65535.lock".length() <= 100) {
            return preferred;
        }
        return Path.of("/tmp", "dms-pg-" + Integer.toHexString(folder.toString().hashCode()));
    }

    /** The port of the previous start, so a stack brought up again keeps its URLs when it can. */
    private int configuredPort() {
        Path file = dataDir.resolve(SETTINGS_FILE);
        try {
            if (Files.isRegularFile(file)) {
                Matcher m = PORT_LINE.matcher(Files.readString(file));
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return 0;
    }

    static String quoteIdentifier(String identifier) {
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String toString() {
        return name + " (PostgreSQL on 127.0.0.1:" + port + ", " + folder + ")";
    }
}
