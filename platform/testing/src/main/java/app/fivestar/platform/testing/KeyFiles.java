package app.fivestar.platform.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/**
 * The RS256 key pair of a test run, kept as PEM files: {@code publicKey.pem} is what the
 * services verify tokens with in tests ({@code quarkus.oidc.public-key}), {@code privateKey.pem} what TestTokens signs with.
 */
public final class KeyFiles {

    public static final String PUBLIC = "publicKey.pem";
    public static final String PRIVATE = "privateKey.pem";

    private KeyFiles() {
    }

    /** Creates the pair in {@code dir} unless it is already there. */
    public static void ensure(Path dir) {
        try {
            if (Files.exists(dir.resolve(PUBLIC)) && Files.exists(dir.resolve(PRIVATE))) {
                return;
            }
            Files.createDirectories(dir);
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair pair = generator.generateKeyPair();
            Files.writeString(dir.resolve(PUBLIC), pem("PUBLIC KEY", pair.getPublic().getEncoded()));
            Path privateKey = dir.resolve(PRIVATE);
            Files.writeString(privateKey, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            privateKey.toFile().setReadable(false, false);
            privateKey.toFile().setReadable(true, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The public key's DER bytes in base64 (a PEM without its armour), as {@code quarkus.oidc.public-key} takes it. */
    public static String publicKeyBase64(Path file) {
        try {
            return Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static PrivateKey readPrivateKey(Path file) {
        try {
            String base64 = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("not an RSA private key: " + file, e);
        }
    }

    private static String pem(String kind, byte[] der) {
        return "-----BEGIN " + kind + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + kind + "-----\n";
    }
}
