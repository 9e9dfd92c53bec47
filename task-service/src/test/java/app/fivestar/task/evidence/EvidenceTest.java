package app.fivestar.task.evidence;

import app.fivestar.platform.testing.PlatformTestResource;
import app.fivestar.task.Demo;
import app.fivestar.task.task.LifecycleTest;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A photo is checked as a photo, never stored as sent: its kind by content, its size before its pixels are decoded,
 * its pixels decoded, its taken-at time and place kept as fields, a clean copy stored without the rest of its
 * metadata, a clean file name, at most 20 per task.
 */
@QuarkusTest
@QuarkusTestResource(value = PlatformTestResource.class, initArgs = @ResourceArg(name = "database", value = "task"))
class EvidenceTest {

    static ValidatableResponse upload(String task, byte[] bytes, String name, String... fields) {
        var request = given().auth().oauth2(Demo.token("st-cadre")).multiPart("file", name, bytes, "application/octet-stream");
        for (int i = 0; i < fields.length; i += 2) {
            request = request.multiPart(fields[i], fields[i + 1]);
        }
        return request.post("/api/v1/tasks/" + task + "/evidence").then();
    }

    static byte[] jpeg(int width, int height) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int x = 0; x < width; x++) {
            image.setRGB(x, x % height, 0x2e7d32);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(image, "jpeg", out);
        return out.toByteArray();
    }

    /** The JPEG with an EXIF block after its start marker: taken 2026-11-30 09:15 (Beijing) at 34.5° N, 113.25° E. */
    static byte[] withExif(byte[] jpeg) {
        return app.fivestar.platform.testing.CameraPhotos.withExif(jpeg, "2026:11:30 09:15:00", 34.5, 113.25);
    }

    /** A PNG of a few bytes that declares itself 100,000 × 100,000 pixels. */
    static byte[] pngBomb() {
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(100_000).putInt(100_000).put((byte) 8).put((byte) 2).put((byte) 0).put((byte) 0).put((byte) 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
        chunk(out, "IHDR", ihdr.array());
        chunk(out, "IDAT", new byte[] {0x78, (byte) 0x9c, 0x63, 0, 0, 0, 1, 0, 1});
        chunk(out, "IEND", new byte[0]);
        return out.toByteArray();
    }

    static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        byte[] typed = new byte[4 + data.length];
        System.arraycopy(type.getBytes(StandardCharsets.US_ASCII), 0, typed, 0, 4);
        System.arraycopy(data, 0, typed, 4, data.length);
        out.writeBytes(typed);
        CRC32 crc = new CRC32();
        crc.update(typed);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    static byte[] download(String task, String evidence) {
        return given().auth().oauth2(Demo.token("office")).get("/api/v1/tasks/" + task + "/evidence/" + evidence).then().statusCode(200)
                .header("X-Content-Type-Options", "nosniff").extract().asByteArray();
    }

    static boolean contains(byte[] haystack, String needle) {
        return new String(haystack, StandardCharsets.ISO_8859_1).contains(needle);
    }

    @Test
    void aPhotosTimeAndPlaceAreKeptAsFieldsAndTheStoredCopyHasNoMetadata() throws IOException {
        String task = LifecycleTest.dispatchOne("ST-24");
        byte[] sent = withExif(jpeg(64, 48));
        assertTrue(contains(sent, "Exif"));
        var stored = upload(task, sent, "pond 01.jpg").statusCode(201)
                .body("takenAt", equalTo("2026-11-30T01:15:00Z"))
                .body("latitude", equalTo(34.5f)).body("longitude", equalTo(113.25f))
                .body("width", equalTo(64)).body("height", equalTo(48)).body("filename", equalTo("pond 01.jpg")).extract();
        byte[] kept = download(task, stored.path("id"));
        assertFalse(contains(kept, "Exif"), "the stored copy carries no EXIF");
        assertEquals(64, ImageIO.read(new ByteArrayInputStream(kept)).getWidth());
        // what the phone read before resizing wins over what is (or is not) in the file
        upload(task, jpeg(32, 32), "resized.jpg", "takenAt", "2026-12-01T08:00:00+08:00", "latitude", "34.75", "longitude", "113.5").statusCode(201)
                .body("takenAt", equalTo("2026-12-01T00:00:00Z")).body("latitude", equalTo(34.75f)).body("longitude", equalTo(113.5f));
        upload(task, jpeg(32, 32), "a.jpg", "latitude", "34.75").statusCode(422).body("violations[0].field", equalTo("longitude"));
        upload(task, jpeg(32, 32), "a.jpg", "latitude", "91", "longitude", "0").statusCode(422).body("violations[0].field", equalTo("latitude"));
        upload(task, jpeg(32, 32), "a.jpg", "takenAt", "yesterday").statusCode(422).body("violations[0].field", equalTo("takenAt"));
        upload(task, jpeg(16, 16), "plain.jpg").statusCode(201).body("takenAt", nullValue()).body("latitude", nullValue());
    }

    @Test
    void aScriptBehindAJpegHeaderAHugeDeclaredSizeAndAPathInTheNameAreRefusedOrCleaned() throws IOException {
        String task = LifecycleTest.dispatchOne("ST-25");
        byte[] php = new byte[] {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1, 1, 0, 0, 1, 0, 1, 0, 0};
        ByteArrayOutputStream script = new ByteArrayOutputStream();
        script.writeBytes(php);
        script.writeBytes("<?php system($_GET['c']); ?>".getBytes(StandardCharsets.US_ASCII));
        upload(task, script.toByteArray(), "photo.jpg").statusCode(415).body("detail", containsString("不是完整有效"));
        upload(task, pngBomb(), "bomb.png").statusCode(422).body("detail", containsString("图片尺寸过大"));
        upload(task, "GIF89a....".getBytes(StandardCharsets.US_ASCII), "x.gif").statusCode(415);
        upload(task, jpeg(8, 8), "../../../etc/x.png").statusCode(201).body("filename", equalTo("x.png"));
        upload(task, jpeg(8, 8), "..\\..\\win.ini\u0000.jpg").statusCode(201).body("filename", equalTo("win.ini_.jpg"));
        upload(task, jpeg(8, 8), "../").statusCode(201).body("filename", equalTo("photo.jpg"));
        assertEquals(0, given().auth().oauth2(Demo.token("office")).get("/api/v1/tasks/" + task + "/evidence").then().extract()
                .jsonPath().getList("findAll { it.contentType != 'image/jpeg' && it.contentType != 'image/png' }").size());
    }

    @Test
    void aTaskKeepsAtMostTwentyPhotos() throws IOException {
        String task = LifecycleTest.dispatchOne("ST-26");
        byte[] photo = jpeg(8, 8);
        for (int i = 0; i < EvidenceResource.MAX_PER_TASK; i++) {
            upload(task, photo, "p" + i + ".jpg").statusCode(201);
        }
        upload(task, photo, "p20.jpg").statusCode(409).body("detail", containsString("最多 20 张"));
    }

    @Test
    void aPhoneMadeIdMakesAnUploadSafeToRepeat() throws IOException {
        String task = LifecycleTest.dispatchOne("ST-27");
        UUID id = UUID.randomUUID();
        byte[] photo = jpeg(20, 10);
        java.util.function.Function<byte[], ValidatableResponse> put = bytes -> given().auth().oauth2(Demo.token("st-cadre"))
                .multiPart("file", "p.jpg", bytes, "image/jpeg").put("/api/v1/tasks/" + task + "/evidence/" + id).then();
        put.apply(photo).statusCode(201).body("id", equalTo(id.toString()));
        put.apply(photo).statusCode(200).body("id", equalTo(id.toString()));
        put.apply(jpeg(30, 10)).statusCode(409);
        assertEquals(1, given().auth().oauth2(Demo.token("office")).get("/api/v1/tasks/" + task + "/evidence").then().extract().jsonPath().getList("").size());
    }

    @Test
    void aBodyLargerThanAPhotoIsRefusedBeforeItIsRead() throws Exception {
        String task = LifecycleTest.dispatchOne("ST-22");
        byte[] body = new byte[6 * 1024 * 1024];
        var http = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        var r = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(io.restassured.RestAssured.baseURI + ":" + io.restassured.RestAssured.port
                        + "/api/v1/tasks/" + task + "/evidence"))
                .header("Authorization", "Bearer " + Demo.token("st-cadre")).header("Content-Type", "multipart/form-data; boundary=x")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
        // the same size elsewhere is within the service's general limit
        assertTrue(EvidenceResource.MAX_BYTES < body.length);
    }
}
