package dms.api.auth;

import io.quarkus.logging.Log;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the tokens come from: {@code dms.api.auth.tokens} (comma-separated entries, e.g. from
 * the environment variable {@code DMS_API_AUTH_TOKENS}) and {@code dms.api.auth.tokens-file}
 * (one entry a line), both together if both are set. A bad entry or an unreadable file stops
 * the start.
 */
@ApplicationScoped
public class TokenSource {

    @ConfigProperty(name = "dms.api.auth.tokens")
    Optional<List<String>> tokens;
    @ConfigProperty(name = "dms.api.auth.tokens-file")
    Optional<String> tokensFile;

    public TokenRegistry load() {
        List<TokenRegistry.Entry> entries = new ArrayList<>(TokenRegistry.Entry.of("dms.api.auth.tokens", tokens.orElse(List.of())));
        if (tokensFile.isPresent() && !tokensFile.get().isBlank()) {
            Path file = Path.of(tokensFile.get());
            try {
                entries.addAll(TokenRegistry.Entry.of(file.toString(), Files.readAllLines(file)));
                warnIfOthersCanRead(file);
            } catch (IOException e) {
                throw new IllegalStateException("cannot read dms.api.auth.tokens-file " + file + ": " + e, e);
            }
        }
        return TokenRegistry.parse(entries);
    }

    private static void warnIfOthersCanRead(Path file) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
            if (perms.contains(PosixFilePermission.OTHERS_READ)) {
                Log.warnf("%s can be read by every user of this machine: chmod 600 it", file);
            }
        } catch (UnsupportedOperationException | IOException e) {
            // not a POSIX file system: nothing to check
        }
    }
}
