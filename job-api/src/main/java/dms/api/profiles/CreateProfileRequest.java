package dms.api.profiles;

/**
 * Body of a profile creation. {@code password} and {@code sslKey} are write-only: encrypted at
 * once, never shown. The TLS files are PEM text.
 */
public record CreateProfileRequest(
        String id,
        String displayName,
        String host,
        Integer port,
        String username,
        String password,
        String sslMode,
        String sslRootCert,
        String sslCert,
        String sslKey) {

    /** Never prints the secrets, whoever logs a request. */
    @Override
    public String toString() {
        return "CreateProfileRequest[id=" + id + ", host=" + host + ", port=" + port + ", username=" + username
                + ", sslMode=" + sslMode + ", password=" + (password == null ? "none" : "***")
                + ", sslKey=" + (sslKey == null ? "none" : "***") + "]";
    }
}
