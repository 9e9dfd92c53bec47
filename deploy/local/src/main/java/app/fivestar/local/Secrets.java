package app.fivestar.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * The local stack's own secrets (Keycloak's administrator password, the front door's client secret), made once at
 * random and kept in the data directory, readable only by its owner, so that a restart finds the same ones.
 */
final class Secrets {

    private final Path dir;

    private Secrets(Path dir) {
        this.dir = dir;
    }

    static Secrets in(Path dir) {
        try {
            Files.createDirectories(dir);
            return new Secrets(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    String keycloakAdminPassword() {
        return get("keycloak-admin-password");
    }

    String accountsClientSecret() {
        return get("accounts-client-secret");
    }

    String webClientSecret() {
        return get("web-client-secret");
    }

    private synchronized String get(String name) {
        Path file = dir.resolve(name);
        try {
            if (Files.isRegularFile(file)) {
                return Files.readString(file).trim();
            }
            byte[] bytes = new byte[18];
            new SecureRandom().nextBytes(bytes);
            String value = HexFormat.of().formatHex(bytes);
            Files.writeString(file, value);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("could not keep the secret " + file, e);
        }
    }
}
