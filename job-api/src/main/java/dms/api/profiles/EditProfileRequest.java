package dms.api.profiles;

/**
 * Body of a profile edit: the fields to change; an absent one stays, an empty password or TLS
 * file removes it. {@code password} and {@code sslKey} are write-only, like at creation.
 */
public record EditProfileRequest(
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
        return "EditProfileRequest[host=" + host + ", port=" + port + ", username=" + username + ", sslMode=" + sslMode
                + ", password=" + (password == null ? "unchanged" : "***") + ", sslKey=" + (sslKey == null ? "unchanged" : "***") + "]";
    }
}
