package app.fivestar.review.meeting;

import app.fivestar.platform.photos.Photos;
import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
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
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Photos of a look-back finding (回头看): taken by the inspector, stored as a copy re-encoded from the pixels. */
@Path("/api/v1/meetings/{id}/findings/{findingId}/photos")
@Tag(name = "meetings")
public class FindingPhotosResource {

    static final int MAX_PER_FINDING = 20;

    @Inject
    MeetingService meetings;

    @Inject
    Photos photos;

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    public record PhotoView(UUID id, UUID findingId, String contentType, int sizeBytes, String sha256, Integer width, Integer height,
                            Instant takenAt, Double latitude, Double longitude, UUID uploadedBy, Instant uploadedAt) {
        static PhotoView of(FindingPhoto p) {
            return new PhotoView(p.id, p.findingId, p.contentType, p.sizeBytes, p.sha256, p.width, p.height, p.takenAt, p.latitude, p.longitude,
                    p.uploadedBy, p.uploadedAt);
        }
    }

    private Finding finding(UUID meetingId, UUID findingId) {
        Finding f = Finding.findById(findingId);
        if (f == null || !f.meetingId.equals(meetingId)) {
            throw Problems.notFound("检查发现 " + findingId + " 不属于此会议或不存在");
        }
        return f;
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.LEADER, Roles.OFFICE})
    @Transactional
    @Operation(summary = "Attach a photo to a finding",
            description = "Multipart form with one part `file`: a JPEG or PNG (checked by content and decoded) of at most 5 MB, at most "
                    + "12,000 px a side and 40 MP, at most 20 per finding; only while the look-back is in progress (409 otherwise). Its "
                    + "EXIF taken-at time and place are kept; the stored copy is re-encoded from the pixels.")
    public Response upload(@PathParam("id") UUID id, @PathParam("findingId") UUID findingId, @RestForm("file") FileUpload file) {
        meetings.inProgress(id);
        Finding f = finding(id, findingId);
        if (file == null) {
            throw Problems.badRequest("需要名为 'file' 的 multipart 部分");
        }
        Photos.Clean clean = photos.clean(read(file));
        // the finding's row is locked while its photos are counted: two uploads at once cannot both take the 20th place
        Finding.getEntityManager().lock(f, jakarta.persistence.LockModeType.PESSIMISTIC_WRITE);
        if (FindingPhoto.count("findingId", f.id) >= MAX_PER_FINDING) {
            throw Problems.conflict("每项检查发现最多 " + MAX_PER_FINDING + " 张照片");
        }
        FindingPhoto p = new FindingPhoto();
        p.id = UUID.randomUUID();
        p.findingId = f.id;
        p.contentType = clean.type().mediaType;
        p.content = clean.bytes();
        p.sizeBytes = clean.bytes().length;
        p.sha256 = Photos.sha256(clean.bytes());
        p.width = clean.width();
        p.height = clean.height();
        p.takenAt = clean.takenAt();
        p.latitude = clean.latitude();
        p.longitude = clean.longitude();
        p.uploadedBy = caller.personId();
        p.uploadedAt = Instant.now(clock);
        p.persist();
        return Response.created(URI.create("/api/v1/meetings/" + id + "/findings/" + findingId + "/photos/" + p.id)).entity(PhotoView.of(p)).build();
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The photos of a finding, in the order they were taken up")
    public List<PhotoView> list(@PathParam("id") UUID id, @PathParam("findingId") UUID findingId) {
        finding(id, findingId);
        return FindingPhoto.<FindingPhoto>list("findingId", Sort.by("uploadedAt").and("id"), findingId).stream().map(PhotoView::of).toList();
    }

    @GET
    @Path("{photoId}")
    @Produces({"image/jpeg", "image/png"})
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "One photo of a finding", description = "With its SHA-256 as ETag.")
    public Response download(@PathParam("id") UUID id, @PathParam("findingId") UUID findingId, @PathParam("photoId") UUID photoId) {
        finding(id, findingId);
        FindingPhoto p = FindingPhoto.findById(photoId);
        if (p == null || !p.findingId.equals(findingId)) {
            throw Problems.notFound("照片 " + photoId + " 不属于此检查发现或不存在");
        }
        return Response.ok(p.content, p.contentType).tag(p.sha256).header("X-Content-Type-Options", "nosniff").build();
    }

    private static byte[] read(FileUpload file) {
        try {
            return Files.readAllBytes(file.uploadedFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
