package app.fivestar.platform.photos;

import java.util.Optional;

/**
 * Recognises JPEG and PNG by their first bytes, whatever the client claims. (WebP is not taken: the JDK cannot
 * decode it, and a photo is stored only as a copy re-encoded from its decoded pixels.)
 */
public enum PhotoType {
    JPEG("image/jpeg", "jpeg"), PNG("image/png", "png");

    public final String mediaType;
    public final String format;

    PhotoType(String mediaType, String format) {
        this.mediaType = mediaType;
        this.format = format;
    }

    public static Optional<PhotoType> sniff(byte[] b) {
        if (b.length >= 3 && (b[0] & 0xFF) == 0xFF && (b[1] & 0xFF) == 0xD8 && (b[2] & 0xFF) == 0xFF) {
            return Optional.of(JPEG);
        }
        if (b.length >= 8 && (b[0] & 0xFF) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G'
                && b[4] == 0x0D && b[5] == 0x0A && b[6] == 0x1A && b[7] == 0x0A) {
            return Optional.of(PNG);
        }
        return Optional.empty();
    }
}
