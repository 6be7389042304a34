package dms.cdc.upstream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * A class of a library that this module replaces by its own copy (same name, so it shadows the library's;
 * the packaged application drops the library's, quarkus.class-loading.removed-resources). Every such copy
 * has a test here that calls {@link #assertReplaces}: it fails once the library on the classpath is not the
 * version the copy was made from, so an upgrade cannot drop or outdate a replacement unnoticed.
 */
record UpstreamCopy(Class<?> type, String artifactId, String copiedFromVersion) {

    /** Ours is the class loaded, the library still holds the original, and the library is the version copied. */
    void assertReplaces() {
        String ours = type.getProtectionDomain().getCodeSource().getLocation().toString();
        assertTrue(ours.contains("cdc-worker"), type.getName() + " loaded from " + ours + ", not our copy");
        assertEquals(copiedFromVersion, libraryVersion(),
                artifactId + " changed version: compare our " + type.getName() + " with the new original (diff their"
                        + " sources), carry the change over, then set the version the copy was made from");
    }

    /**
     * The version of the artifact that holds the original class: its jar's pom.properties, else (jars built by
     * Gradle, as Kafka's, have none) the version in the jar's name, {@code <artifactId>-<version>.jar}.
     */
    String libraryVersion() {
        String resource = type.getName().replace('.', '/') + ".class";
        try {
            List<URL> copies = Collections.list(type.getClassLoader().getResources(resource));
            for (URL url : copies) {
                if (!"jar".equals(url.getProtocol())) {
                    continue;
                }
                JarURLConnection connection = (JarURLConnection) url.openConnection();
                connection.setUseCaches(false);
                try (JarFile jar = connection.getJarFile()) {
                    JarEntry pom = jar.stream()
                            .filter(e -> e.getName().startsWith("META-INF/maven/") && e.getName().endsWith("/" + artifactId + "/pom.properties"))
                            .findFirst().orElse(null);
                    if (pom == null) {
                        String name = jar.getName().substring(jar.getName().lastIndexOf('/') + 1);
                        if (name.startsWith(artifactId + "-") && name.endsWith(".jar")) {
                            return name.substring(artifactId.length() + 1, name.length() - ".jar".length());
                        }
                        continue;
                    }
                    Properties properties = new Properties();
                    try (InputStream in = jar.getInputStream(pom)) {
                        properties.load(in);
                    }
                    return properties.getProperty("version");
                }
            }
            throw new AssertionError("no jar of " + artifactId + " holds " + resource + " (found " + copies + ")");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
