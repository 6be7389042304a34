package dms.api.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;

/**
 * Removes secret fields (password, TLS client key) from any JSON the API may serve back (operation responses carry
 * whole resources). The orchestrator should never put them there; this makes sure.
 */
final class SecretStripper {

    private static final Set<String> SECRET_FIELDS = Set.of("password", "encryptedPassword", "sslKey", "encryptedSslKey");

    private SecretStripper() {}

    static void strip(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node instanceof ObjectNode object) {
            object.remove(SECRET_FIELDS);
        }
        node.forEach(SecretStripper::strip);
    }
}
