package app.fivestar.task.evidence;

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

    @Inject
    TaskAccess access;

    @Inject
    Clock clock;

    public record EvidenceView(UUID id, UUID taskId, String filename, String contentType, int sizeBytes, String sha256,
                               Instant uploadedAt, UUID uploadedBy) {
        static EvidenceView of(Evidence e) {
            return new EvidenceView(e.id, e.taskId, e.filename, e.contentType, e.sizeBytes, e.sha256, e.uploadedAt, e.uploadedBy);
        }
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.CADRE, Roles.GROUP_LEAD})
    @Transactional
    @Operation(summary = "Attach a photo to a task",
            description = "Multipart form with one part `file`: a JPEG, PNG or WebP photo (checked by content) of at most 5 MB. "
                    + "Answers the stored evidence with its SHA-256; send its id with submit.")
    public Response upload(@PathParam("taskId") UUID taskId, @RestForm("file") FileUpload file) {
        Task task = access.visible(taskId);
        access.requireWorker(task);
        if (file == null) {
            throw Problems.badRequest("需要名为 'file' 的 multipart 部分");
        }
        if (file.size() > MAX_BYTES) {
            throw Problems.payloadTooLarge("照片最大 5 MB，此照片有 " + file.size() + " 字节");
        }
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PhotoType type = PhotoType.sniff(bytes)
                .orElseThrow(() -> Problems.unsupportedMediaType("只接受 JPEG、PNG 和 WebP 格式的照片"));
        Evidence e = new Evidence();
        e.id = UUID.randomUUID();
        e.taskId = task.id;
        e.filename = file.fileName() == null || file.fileName().isBlank() ? "photo" : file.fileName();
        e.contentType = type.mediaType;
        e.sizeBytes = bytes.length;
        e.sha256 = sha256(bytes);
        e.content = bytes;
        e.uploadedBy = access.actor();
        e.uploadedAt = Instant.now(clock);
        e.persist();
        return Response.created(URI.create("/api/v1/tasks/" + taskId + "/evidence/" + e.id)).entity(EvidenceView.of(e)).build();
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
                .header("Content-Disposition", "inline; filename=\"" + e.filename.replace("\"", "") + "\"").build();
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
