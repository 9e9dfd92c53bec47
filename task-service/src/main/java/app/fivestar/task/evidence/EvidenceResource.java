package app.fivestar.task.evidence;

import app.fivestar.platform.photos.PhotoType;
import app.fivestar.platform.photos.Photos;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Roles;
import app.fivestar.task.task.Task;
import app.fivestar.task.task.TaskAccess;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

@Path("/api/v1/tasks/{taskId}/evidence")
@Tag(name = "evidence", description = "佐证材料")
public class EvidenceResource {

    public static final long MAX_BYTES = 5L * 1024 * 1024;
    /** The most photos one task keeps. */
    public static final int MAX_PER_TASK = 20;

    @Inject
    TaskAccess access;

    @Inject
    Clock clock;

    @Inject
    Photos photos;

    public record EvidenceView(UUID id, UUID taskId, String filename, String contentType, int sizeBytes, String sha256,
                               Instant uploadedAt, UUID uploadedBy, Instant takenAt, Double latitude, Double longitude,
                               Integer width, Integer height) {
        static EvidenceView of(Evidence e) {
            return new EvidenceView(e.id, e.taskId, e.filename, e.contentType, e.sizeBytes, e.sha256, e.uploadedAt, e.uploadedBy,
                    e.takenAt, e.latitude, e.longitude, e.width, e.height);
        }
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Transactional
    @Operation(summary = "Attach a photo to a task",
            description = "Multipart form with one part `file`: a JPEG or PNG photo (checked by content and decoded) of at most 5 MB "
                    + "(a larger body is refused before it is read), at most 12,000 px a side and 40 MP, at most 20 per task; optional "
                    + "parts `takenAt` (ISO instant), `latitude`, `longitude` — what the phone read before resizing — else the "
                    + "photo's own EXIF. A copy re-encoded from the pixels is stored, without the rest of the metadata; the file "
                    + "name is kept only as a clean base name. Answers the stored evidence with its SHA-256; send its id with submit.")
    public Response upload(@PathParam("taskId") UUID taskId, @RestForm("file") FileUpload file, @RestForm("takenAt") String takenAt,
                           @RestForm("latitude") String latitude, @RestForm("longitude") String longitude) {
        Evidence e = store(taskId, UUID.randomUUID(), file, takenAt, latitude, longitude);
        return Response.created(URI.create("/api/v1/tasks/" + taskId + "/evidence/" + e.id)).entity(EvidenceView.of(e)).build();
    }

    @PUT
    @Path("{evidenceId}")
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Transactional
    @Operation(summary = "Attach a photo under an id the phone made",
            description = "As POST, but the phone chooses the evidence id (so a submit queued offline can name its photos before they are "
                    + "uploaded): 201 the first time; the same photo again under the same id answers 200 and changes nothing; another "
                    + "photo under an id already used is 409.")
    public Response put(@PathParam("taskId") UUID taskId, @PathParam("evidenceId") UUID evidenceId, @RestForm("file") FileUpload file,
                        @RestForm("takenAt") String takenAt, @RestForm("latitude") String latitude, @RestForm("longitude") String longitude) {
        Evidence existing = Evidence.findById(evidenceId);
        if (existing != null) {
            access.visible(taskId);
            Photos.Clean again = file == null ? null : photos.clean(read(file));
            if (!existing.taskId.equals(taskId) || again == null || !existing.sha256.equals(Photos.sha256(again.bytes()))) {
                throw Problems.conflict("佐证材料编号 " + evidenceId + " 已用于另一张照片");
            }
            return Response.ok(EvidenceView.of(existing)).build();
        }
        Evidence e = store(taskId, evidenceId, file, takenAt, latitude, longitude);
        return Response.created(URI.create("/api/v1/tasks/" + taskId + "/evidence/" + e.id)).entity(EvidenceView.of(e)).build();
    }

    private Evidence store(UUID taskId, UUID id, FileUpload file, String takenAt, String latitude, String longitude) {
        Task task = access.visible(taskId);
        access.requireWorker(task);
        if (file == null) {
            throw Problems.badRequest("需要名为 'file' 的 multipart 部分");
        }
        if (file.size() > MAX_BYTES) {
            throw Problems.payloadTooLarge("照片最大 5 MB，此照片有 " + file.size() + " 字节");
        }
        Instant when = instant("takenAt", takenAt);
        Double lat = coordinate("latitude", latitude, 90);
        Double lon = coordinate("longitude", longitude, 180);
        if ((lat == null) != (lon == null)) {
            throw field(lat == null ? "latitude" : "longitude", "纬度和经度须同时提供");
        }
        // decoded before the task row is locked: a decode (or the wait for one) never holds other writes to the task
        Photos.Clean clean = photos.clean(read(file));
        // the task row is locked while its photos are counted: two uploads at once cannot both take the 20th place
        Task.getEntityManager().lock(task, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (Evidence.count("taskId", task.id) >= MAX_PER_TASK) {
            throw Problems.conflict("每个任务最多 " + MAX_PER_TASK + " 张照片");
        }
        Evidence e = new Evidence();
        e.id = id;
        e.taskId = task.id;
        e.filename = cleanName(file.fileName(), clean.type());
        e.contentType = clean.type().mediaType;
        e.sizeBytes = clean.bytes().length;
        e.sha256 = Photos.sha256(clean.bytes());
        e.content = clean.bytes();
        e.width = clean.width();
        e.height = clean.height();
        e.takenAt = when != null ? when : clean.takenAt();
        e.latitude = lat != null ? lat : clean.latitude();
        e.longitude = lat != null ? lon : clean.longitude();
        e.uploadedBy = access.actor();
        e.uploadedAt = Instant.now(clock);
        e.persist();
        return e;
    }

    private static byte[] read(FileUpload file) {
        try {
            return Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The base name only (no directories), letters, digits, dot, dash, underscore and spaces, at most 100 characters. */
    static String cleanName(String sent, PhotoType type) {
        String name = sent == null ? "" : sent.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1).replaceAll("[^\\p{L}\\p{N}._ -]", "_").replaceAll("^[. ]+", "").strip();
        if (name.length() > 100) {
            name = name.substring(name.length() - 100);
        }
        return name.isEmpty() || name.chars().allMatch(c -> c == '_' || c == '.') ? "photo." + (type == PhotoType.PNG ? "png" : "jpg") : name;
    }

    private static Instant instant(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(text.strip()).toInstant();
        } catch (java.time.format.DateTimeParseException e) {
            throw field(field, "须为带时区的时间，例如 2026-12-01T09:30:00+08:00");
        }
    }

    private static Double coordinate(String field, String text, double limit) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            double v = Double.parseDouble(text.strip());
            if (Double.isNaN(v) || Math.abs(v) > limit) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw field(field, "须为 -" + (int) limit + " 到 " + (int) limit + " 之间的数");
        }
    }

    private static app.fivestar.platform.problem.ProblemException field(String field, String message) {
        return Problems.unprocessable(message).with("violations", List.of(java.util.Map.of("field", field, "message", message)));
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The evidence attached to a task")
    public List<EvidenceView> list(@PathParam("taskId") UUID taskId) {
        access.visible(taskId);
        return Evidence.<Evidence>find("taskId", Sort.by("uploadedAt"), taskId).list().stream().map(EvidenceView::of).toList();
    }

    @GET
    @Path("{evidenceId}")
    @Produces({"image/jpeg", "image/png", "image/webp"})
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "Download one photo", description = "With its SHA-256 as ETag.")
    public Response download(@PathParam("taskId") UUID taskId, @PathParam("evidenceId") UUID evidenceId) {
        access.visible(taskId);
        Evidence e = Evidence.findById(evidenceId);
        if (e == null || !e.taskId.equals(taskId)) {
            throw Problems.notFound("佐证材料 " + evidenceId + " 不属于此任务或不存在");
        }
        return Response.ok(e.content, e.contentType).tag(e.sha256)
                .header("Content-Disposition", "inline; filename=\"" + cleanName(e.filename, PhotoType.JPEG).replaceAll("[^\\x20-\\x7e]", "_") + "\"; filename*=UTF-8''"
                        + java.net.URLEncoder.encode(cleanName(e.filename, PhotoType.JPEG), java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"))
                .header("X-Content-Type-Options", "nosniff").build();
    }

}
