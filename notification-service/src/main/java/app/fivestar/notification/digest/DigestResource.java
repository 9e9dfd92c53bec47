package app.fivestar.notification.digest;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.context.ManagedExecutor;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.net.URI;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@Path("/api/v1/digests")
@Tag(name = "digests", description = "每日摘要")
@Produces(MediaType.APPLICATION_JSON)
public class DigestResource {

    /** A run started by hand: its progress is kept in memory (the last 20 runs); the digests themselves are rows. */
    public record Run(UUID id, String status, int total, int done, int sent, int failed, Instant startedAt) {
    }

    private record Started(UUID id, int total, Instant at, DigestJob.Progress progress, java.util.concurrent.CompletableFuture<Integer> future) {
        Run view() {
            return new Run(id, future.isDone() ? "DONE" : "RUNNING", total, progress.done.get(), progress.sent.get(), progress.failed.get(), at);
        }
    }

    private static final Map<UUID, Started> RUNS = java.util.Collections.synchronizedMap(new LinkedHashMap<>() {
        @Override
        protected boolean removeEldestEntry(Map.Entry<UUID, Started> eldest) {
            return size() > 20;
        }
    });

    @Inject
    DigestJob digests;

    @Inject
    ManagedExecutor executor;

    @POST
    @Path("send-now")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "Send the waiting daily digests now",
            description = "Normally they go out daily at fivestar.digest.cron (Asia/Shanghai). Answers 202 at once with the run and its "
                    + "Location: one e-mail per recipient is sent in the background, and GET on the Location shows the progress "
                    + "(status RUNNING → DONE; total, done, sent, failed). A failed recipient's items wait for the next run.")
    public Response sendNow() {
        List<UUID> recipients = digests.waiting();
        DigestJob.Progress progress = new DigestJob.Progress();
        UUID id = UUID.randomUUID();
        Started run = new Started(id, recipients.size(), Instant.now(), progress,
                executor.supplyAsync(() -> digests.sendAll(recipients, progress)));
        RUNS.put(id, run);
        return Response.accepted(run.view()).location(URI.create("/api/v1/digests/runs/" + id)).build();
    }

    @GET
    @Path("runs/{id}")
    @RolesAllowed(Roles.ADMIN)
    @Operation(summary = "How a digest run started by hand goes")
    public Run run(@PathParam("id") UUID id) {
        Started run = RUNS.get(id);
        if (run == null) {
            throw Problems.notFound("没有这次摘要发送记录（只保留本实例最近 20 次）：" + id);
        }
        return run.view();
    }
}
