package app.fivestar.notification.inbox;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.infrastructure.Infrastructure;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.sse.OutboundSseEvent;
import jakarta.ws.rs.sse.Sse;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

@Path("/api/v1/inbox")
@Tag(name = "inbox", description = "站内消息")
@Produces(MediaType.APPLICATION_JSON)
public class InboxResource {

    /** The channel a stored message signals, with its recipient's id ({@link app.fivestar.platform.signals.CommitSignals}). */
    public static final String INBOX_CHANNEL = "inbox";

    @Inject
    app.fivestar.platform.signals.CommitSignals signals;

    @org.eclipse.microprofile.config.inject.ConfigProperty(name = "fivestar.inbox.stream-recheck", defaultValue = "5s")
    Duration recheck;

    static final String[] EVERYONE = {Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN};

    @Inject
    Caller caller;

    @Inject
    Clock clock;

    public record Message(UUID id, long seq, String kind, boolean urgent, String title, String body, String link, Instant createdAt, boolean read) {
        static Message of(Notification n) {
            return new Message(n.id, n.seq, n.kind, n.urgent, n.title, n.body, n.link, n.createdAt, n.readAt != null);
        }
    }

    public record Page(List<Message> items, String nextCursor) {
    }

    @GET
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "My messages, newest first", description = "Only the caller's own. unread=true for unread ones; pass nextCursor as cursor for the next page.")
    public Page inbox(@QueryParam("unread") @DefaultValue("false") boolean unread, @QueryParam("cursor") String cursor,
                      @QueryParam("limit") @DefaultValue("50") int limit) {
        if (limit < 1 || limit > 200) {
            throw Problems.badRequest("limit 须在 1 到 200 之间");
        }
        long before;
        try {
            before = cursor == null ? Long.MAX_VALUE : Long.parseLong(cursor);
        } catch (NumberFormatException e) {
            throw Problems.badRequest("cursor 不是本服务给出的分页游标");
        }
        List<Notification> rows = Notification.<Notification>find("recipientId = ?1 and seq < ?2" + (unread ? " and readAt is null" : "")
                        + " order by seq desc", caller.personId(), before)
                .page(0, limit + 1).list();
        boolean more = rows.size() > limit;
        List<Notification> page = more ? rows.subList(0, limit) : rows;
        return new Page(page.stream().map(Message::of).toList(), more ? Long.toString(page.get(page.size() - 1).seq) : null);
    }

    @GET
    @Path("unread-count")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "How many of my messages are unread")
    public Map<String, Long> unreadCount() {
        return Map.of("unread", Notification.count("recipientId = ?1 and readAt is null", caller.personId()));
    }

    @POST
    @Path("{id}/read")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional
    @Operation(summary = "Mark one of my messages read")
    public Message read(@PathParam("id") UUID id) {
        Notification n = Notification.findById(id);
        if (n == null || !n.recipientId.equals(caller.personId())) {
            throw Problems.notFound("消息 " + id + " 不存在");
        }
        if (n.readAt == null) {
            n.readAt = Instant.now(clock);
        }
        return Message.of(n);
    }

    @POST
    @Path("read-all")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional
    @Operation(summary = "Mark all my messages read")
    public Map<String, Integer> readAll() {
        return Map.of("marked", Notification.update("readAt = ?1 where recipientId = ?2 and readAt is null", Instant.now(clock), caller.personId()));
    }

    @GET
    @Path("stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @io.smallrye.common.annotation.Blocking
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "My new messages, live (server-sent events)",
            description = "Each event's id is the message's seq. After a dropped connection, reconnect with Last-Event-ID (browsers do it "
                    + "themselves) and every message since is sent first: nothing is lost. Pushed when the message commits (PostgreSQL "
                    + "NOTIFY, any instance), and looked up every few seconds besides.")
    public Multi<OutboundSseEvent> stream(@HeaderParam("Last-Event-ID") String lastEventId, @QueryParam("after") Long after, @Context Sse sse) {
        UUID me = caller.personId();
        long start;
        try {
            start = lastEventId != null && !lastEventId.isBlank() ? Long.parseLong(lastEventId.strip())
                    : after != null ? after : latestSeq(me);
        } catch (NumberFormatException e) {
            throw Problems.badRequest("Last-Event-ID 必须是本消息流发出过的事件编号");
        }
        AtomicLong last = new AtomicLong(start);
        // pushed when a message for me commits (on any replica); a look of its own every recheck interval besides
        String mine = me.toString();
        Multi<Object> wakeUps = Multi.createBy().merging().streams(
                signals.on(INBOX_CHANNEL).filter(mine::equals).map(x -> (Object) x),
                Multi.createFrom().ticks().startingAfter(Duration.ofMillis(1)).every(recheck).map(x -> (Object) x));
        Multi<OutboundSseEvent> messages = wakeUps
                .onOverflow().drop()
                .emitOn(Infrastructure.getDefaultWorkerPool())
                // each wake-up reads on, page after page, until it has read everything committed (a burst larger than a page
                // is not left waiting for the next signal or look); each page on a worker thread, as the next one is asked
                // for on the I/O thread when the client's socket took the last
                .concatMap(tick -> Multi.createBy().repeating().uni(() -> io.smallrye.mutiny.Uni.createFrom().item(() -> nextPage(me, last))
                                .runSubscriptionOn(Infrastructure.getDefaultWorkerPool()))
                        .whilst(page -> page.size() == STREAM_PAGE)
                        .onItem().<Notification>disjoint())
                .map((Notification n) -> sse.newEventBuilder().id(Long.toString(n.seq)).name(n.kind).mediaType(MediaType.APPLICATION_JSON_TYPE)
                        .data(Message.class, Message.of(n)).build());
        return app.fivestar.platform.web.EventStreams.withKeepAlive(messages, sse);
    }

    /** Messages read per query by a live stream. */
    static final int STREAM_PAGE = 100;

    /** The next page of {@code me}'s messages after {@code last}, which then points at its last. */
    private static List<Notification> nextPage(UUID me, AtomicLong last) {
        List<Notification> page = QuarkusTransaction.requiringNew().call(() ->
                Notification.<Notification>find("recipientId = ?1 and seq > ?2 order by seq", me, last.get()).page(0, STREAM_PAGE).list());
        if (!page.isEmpty()) {
            last.set(page.get(page.size() - 1).seq);
        }
        return page;
    }

    private static long latestSeq(UUID me) {
        return QuarkusTransaction.requiringNew().call(() -> {
            Object v = Notification.getEntityManager().createQuery("select coalesce(max(n.seq), 0) from Notification n where n.recipientId = :me")
                    .setParameter("me", me).getSingleResult();
            return ((Number) v).longValue();
        });
    }
}
