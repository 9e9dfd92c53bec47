package app.fivestar.platform.photos;

import app.fivestar.platform.problem.ProblemException;
import app.fivestar.platform.problem.Problems;
import com.drew.imaging.ImageMetadataReader;
import com.drew.lang.GeoLocation;
import com.drew.metadata.Metadata;
import com.drew.metadata.exif.ExifSubIFDDirectory;
import com.drew.metadata.exif.GpsDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.Optional;
import java.util.TimeZone;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * What is stored of an uploaded photo: never the bytes as sent. The type is sniffed from the content, the size read
 * from the header before any pixel is decoded (a small file may declare a huge image: a decompression bomb), the
 * pixels decoded with at most {@code fivestar.evidence.concurrent-decodes} decodes at a time, the taken-at time and
 * place read from its EXIF, and a copy re-encoded from the pixels stored — without the rest of its metadata and
 * without anything that was appended to or hidden in the file. One mechanism for every photo a service keeps (a task's
 * evidence in task-service, a look-back finding's in review-service).
 */
@ApplicationScoped
public class Photos {

    /** The most pixels a photo may have (a 12 MP phone photo has 12,000,000; this allows 40 MP). */
    static final long MAX_PIXELS = 40_000_000L;
    static final int MAX_SIDE = 12_000;

    public record Clean(byte[] bytes, PhotoType type, int width, int height, Instant takenAt, Double latitude, Double longitude) {
    }

    private final Semaphore decodes;

    public Photos(@ConfigProperty(name = "fivestar.evidence.concurrent-decodes", defaultValue = "2") int concurrentDecodes) {
        this.decodes = new Semaphore(concurrentDecodes, true);
    }

    /** The stored copy's fingerprint (its ETag, and how a photo sent again under the same id is recognised). */
    public static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    public Clean clean(byte[] sent) {
        PhotoType type = PhotoType.sniff(sent).orElseThrow(() -> Problems.unsupportedMediaType("只接受 JPEG 和 PNG 格式的照片"));
        Exif exif = exif(sent);
        BufferedImage pixels = decode(sent, type);
        byte[] copy = encode(pixels, type);
        return new Clean(copy, type, pixels.getWidth(), pixels.getHeight(), exif.takenAt(), exif.latitude(), exif.longitude());
    }

    private BufferedImage decode(byte[] sent, PhotoType type) {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(sent))) {
            Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName(type.format);
            if (!readers.hasNext()) {
                throw new IllegalStateException("no ImageIO reader for " + type);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long width;
                long height;
                try {
                    width = reader.getWidth(0);
                    height = reader.getHeight(0);
                } catch (IOException | RuntimeException e) {
                    throw notAPhoto();
                }
                if (width > MAX_SIDE || height > MAX_SIDE || width * height > MAX_PIXELS) {
                    throw Problems.unprocessable("图片尺寸过大（" + width + "×" + height + "），最大 " + MAX_SIDE + " 像素边长、" + MAX_PIXELS / 1_000_000
                            + " 百万像素").with("violations", java.util.List.of(java.util.Map.of("field", "file", "message", "图片尺寸过大")));
                }
                if (!decodes.tryAcquire(10, TimeUnit.SECONDS)) {
                    throw new ProblemException(503, "busy", "服务繁忙", "正在处理的照片太多，请稍后重试");
                }
                try {
                    return reader.read(0);
                } catch (IOException | RuntimeException e) {
                    throw notAPhoto();
                } finally {
                    decodes.release();
                }
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            throw notAPhoto();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProblemException(503, "busy", "服务繁忙", "正在处理的照片太多，请稍后重试");
        }
    }

    private static ProblemException notAPhoto() {
        return Problems.unsupportedMediaType("文件不是完整有效的 JPEG 或 PNG 照片");
    }

    /** A new file from the pixels alone: JPEG at quality 0.9 (no alpha), PNG as PNG; no metadata is written. */
    private static byte[] encode(BufferedImage pixels, PhotoType type) {
        BufferedImage image = pixels;
        if (type == PhotoType.JPEG && (pixels.getColorModel().hasAlpha() || pixels.getType() == BufferedImage.TYPE_CUSTOM)) {
            image = new BufferedImage(pixels.getWidth(), pixels.getHeight(), BufferedImage.TYPE_INT_RGB);
            java.awt.Graphics2D g = image.createGraphics();
            g.drawImage(pixels, 0, 0, java.awt.Color.WHITE, null);
            g.dispose();
        }
        ImageWriter writer = ImageIO.getImageWritersByFormatName(type.format).next();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ImageOutputStream ios = ImageIO.createImageOutputStream(out)) {
            writer.setOutput(ios);
            ImageWriteParam param = writer.getDefaultWriteParam();
            if (type == PhotoType.JPEG) {
                param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
                param.setCompressionQuality(0.9f);
            }
            writer.write(null, new IIOImage(image, null, null), param);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            writer.dispose();
        }
        return out.toByteArray();
    }

    record Exif(Instant takenAt, Double latitude, Double longitude) {
    }

    /** The taken-at time (DateTimeOriginal, Beijing time unless the photo says its offset) and GPS position, if the photo has them. */
    static Exif exif(byte[] sent) {
        try {
            Metadata metadata = ImageMetadataReader.readMetadata(new ByteArrayInputStream(sent), sent.length);
            Instant takenAt = Optional.ofNullable(metadata.getFirstDirectoryOfType(ExifSubIFDDirectory.class))
                    .map(d -> d.getDateOriginal(TimeZone.getTimeZone("Asia/Shanghai"))).map(java.util.Date::toInstant).orElse(null);
            GeoLocation where = Optional.ofNullable(metadata.getFirstDirectoryOfType(GpsDirectory.class)).map(GpsDirectory::getGeoLocation)
                    .filter(g -> !g.isZero()).orElse(null);
            return new Exif(takenAt, where == null ? null : where.getLatitude(), where == null ? null : where.getLongitude());
        } catch (Exception e) {
            // no readable metadata is no metadata: the photo itself is checked by decoding it
            return new Exif(null, null, null);
        }
    }
}
