package dms.api.profiles;

/** Body of a profile creation. {@code password} is write-only: encrypted at once, never shown. */
public record CreateProfileRequest(
        String id,
        String displayName,
        String host,
        Integer port,
        String username,
        String password,
        String sslMode) {

    /** Never prints the password, whoever logs a request. */
    @Override
    public String toString() {
        return "CreateProfileRequest[id=" + id + ", host=" + host + ", port=" + port + ", username=" + username
                + ", sslMode=" + sslMode + ", password=" + (password == null ? "none" : "***") + "]";
    }
}
