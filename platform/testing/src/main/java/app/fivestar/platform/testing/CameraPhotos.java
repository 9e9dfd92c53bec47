package app.fivestar.platform.testing;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Test photos as phones write them: a JPEG with an EXIF block (DateTimeOriginal and a GPS position) after its start
 * marker. Used by task-service's evidence tests and by the phone app's browser tests.
 */
public final class CameraPhotos {

    private CameraPhotos() {
    }

    /** A plain JPEG (a green-to-yellow gradient) of the given size, without metadata. */
    public static byte[] jpeg(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setPaint(new GradientPaint(0, 0, new Color(46, 125, 50), width, height, new Color(255, 214, 0)));
        g.fillRect(0, 0, width, height);
        g.dispose();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "jpg", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A camera photo of the given size, taken at {@code dateTimeOriginal} ("2026:11:30 09:15:00") at the position given. */
    public static byte[] withExif(int width, int height, String dateTimeOriginal, double latitude, double longitude) {
        return withExif(jpeg(width, height), dateTimeOriginal, latitude, longitude);
    }

    /** The JPEG with an EXIF block inserted after its start marker. */
    public static byte[] withExif(byte[] jpeg, String dateTimeOriginal, double latitude, double longitude) {
        byte[] tiff = tiff(dateTimeOriginal, latitude, longitude);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2); // SOI
        int length = 2 + 6 + tiff.length;
        out.write(0xFF);
        out.write(0xE1);
        out.write(length >> 8);
        out.write(length & 0xFF);
        out.writeBytes("Exif\0\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(tiff);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    /** Big-endian TIFF: IFD0 (pointers to the Exif and GPS IFDs), Exif IFD (DateTimeOriginal), GPS IFD (N/S, lat, E/W, lon). */
    private static byte[] tiff(String when, double lat, double lon) {
        ByteBuffer t = ByteBuffer.allocate(178);
        t.put("MM".getBytes(StandardCharsets.US_ASCII)).putShort((short) 42).putInt(8);
        t.putShort((short) 2);                                                  // IFD0 at 8
        t.putShort((short) 0x8769).putShort((short) 4).putInt(1).putInt(38);    // Exif IFD
        t.putShort((short) 0x8825).putShort((short) 4).putInt(1).putInt(76);    // GPS IFD
        t.putInt(0);
        t.putShort((short) 1);                                                  // Exif IFD at 38
        t.putShort((short) 0x9003).putShort((short) 2).putInt(20).putInt(56);
        t.putInt(0);
        t.put((when + "\0").getBytes(StandardCharsets.US_ASCII));              // at 56, 20 bytes
        t.putShort((short) 4);                                                  // GPS IFD at 76
        t.putShort((short) 1).putShort((short) 2).putInt(2).put((byte) (lat < 0 ? 'S' : 'N')).put((byte) 0).putShort((short) 0);
        t.putShort((short) 2).putShort((short) 5).putInt(3).putInt(130);
        t.putShort((short) 3).putShort((short) 2).putInt(2).put((byte) (lon < 0 ? 'W' : 'E')).put((byte) 0).putShort((short) 0);
        t.putShort((short) 4).putShort((short) 5).putInt(3).putInt(154);
        t.putInt(0);
        rationals(t, Math.abs(lat));                                            // at 130
        rationals(t, Math.abs(lon));                                            // at 154
        return t.array();
    }

    private static void rationals(ByteBuffer t, double degrees) {
        int d = (int) degrees;
        double minutes = (degrees - d) * 60;
        int m = (int) minutes;
        long seconds = Math.round((minutes - m) * 60 * 10000);
        t.putInt(d).putInt(1).putInt(m).putInt(1).putInt((int) seconds).putInt(10000);
    }
}
