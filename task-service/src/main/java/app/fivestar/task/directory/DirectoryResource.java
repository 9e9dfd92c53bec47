package app.fivestar.task.directory;

import app.fivestar.platform.problem.Problems;
import app.fivestar.platform.security.Caller;
import app.fivestar.platform.security.Roles;
import app.fivestar.task.tabular.Table;
import app.fivestar.task.tabular.TabularMedia;
import io.quarkus.hibernate.orm.panache.PanacheQuery;
import io.quarkus.panache.common.Page;
import io.quarkus.panache.common.Parameters;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;
import java.util.Set;
import java.util.UUID;

@Path("/api/v1")
@Tag(name = "directory", description = "组织架构：镇街、村社区、一办七专班、人员")
@Produces(MediaType.APPLICATION_JSON)
@Transactional(Transactional.TxType.SUPPORTS)
public class DirectoryResource {

    @Inject
    DirectoryService directory;

    @Inject
    Caller caller;

    @Inject
    Accounts accounts;

    /** The answer to a people import: what changed, and the sign-in accounts made for new people (with one-time passwords). */
    public record PeopleImported(int created, int updated, List<Accounts.Issued> accounts, List<Accounts.Failed> accountErrors) {
    }

    public record PersonView(UUID id, String username, String displayName, Set<String> roles, UUID groupId, UUID townId,
                             String phone, String email, boolean active, Set<UUID> villageIds) {
        static PersonView of(Person p) {
            return new PersonView(p.id, p.username, p.displayName, p.roleSet(), p.groupId, p.townId, p.phone, p.email, p.active, p.villageIds);
        }

        /** Without phone and e-mail: contact details go only to the office and the person's own group lead. */
        PersonView withoutContacts() {
            return new PersonView(id, username, displayName, roles, groupId, townId, null, null, active, villageIds);
        }
    }

    public record PeoplePage(List<PersonView> items, int page, int size, long total) {
    }

    @GET
    @Path("towns")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "Towns and sub-districts (镇/街道)")
    public List<Town> towns() {
        return Town.listAll(Sort.by("code"));
    }

    @GET
    @Path("villages")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "Villages and communities (村/社区)", description = "Optionally of one town.")
    public List<Village> villages(@QueryParam("townId") UUID townId) {
        return townId == null ? Village.listAll(Sort.by("code")) : Village.list("townId", Sort.by("code"), townId);
    }

    @GET
    @Path("groups")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "The campaign office and the seven working groups (一办七专班)", description = "With each group's lead and the standing-committee member who leads its star.")
    public List<WorkingGroup> groups() {
        return WorkingGroup.listAll(Sort.by("code"));
    }

    @GET
    @Path("people")
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "People", description = "Paged (page from 0, size up to 200); filter by role, group, town, or a text in name or username. "
            + "A town secretary sees the people of their town; phone and e-mail are shown to the office, administrators and a "
            + "person's own group lead only.")
    public PeoplePage people(@QueryParam("role") String role, @QueryParam("groupId") UUID groupId, @QueryParam("townId") UUID townId,
                             @QueryParam("q") String q, @QueryParam("page") @DefaultValue("0") int page,
                             @QueryParam("size") @DefaultValue("50") int size) {
        if (page < 0 || size < 1 || size > 200) {
            throw Problems.badRequest("page 须 ≥ 0，size 须在 1 到 200 之间");
        }
        StringBuilder where = new StringBuilder("1 = 1");
        Parameters params = new Parameters();
        if (role != null) {
            where.append(" and concat(',', roles, ',') like :role");
            params.and("role", "%," + role + ",%");
        }
        if (groupId != null) {
            where.append(" and groupId = :groupId");
            params.and("groupId", groupId);
        }
        if (townId != null) {
            where.append(" and townId = :townId");
            params.and("townId", townId);
        }
        if (q != null && !q.isBlank()) {
            where.append(" and (lower(displayName) like :q or lower(username) like :q)");
            params.and("q", "%" + q.strip().toLowerCase() + "%");
        }
        boolean everyone = caller.is(Roles.OFFICE) || caller.is(Roles.ADMIN) || caller.is(Roles.LEADER) || caller.is(Roles.GROUP_LEAD);
        if (!everyone) {
            where.append(" and townId = :callerTown");
            params.and("callerTown", caller.townId().orElse(new UUID(0, 0)));
        }
        boolean allContacts = caller.is(Roles.OFFICE) || caller.is(Roles.ADMIN);
        UUID ledGroup = caller.is(Roles.GROUP_LEAD) ? caller.groupId().orElse(null) : null;
        PanacheQuery<Person> query = Person.find(where.toString(), Sort.by("username"), params);
        return new PeoplePage(query.page(Page.of(page, size)).list().stream().map(PersonView::of)
                .map(v -> allContacts || ledGroup != null && ledGroup.equals(v.groupId()) ? v : v.withoutContacts()).toList(),
                page, size, query.count());
    }

    @POST
    @Path("directory/places/import")
    @Consumes({Table.CSV, Table.XLSX})
    @RolesAllowed({Roles.OFFICE, Roles.ADMIN})
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Operation(summary = "Import towns and villages from CSV or Excel", description = "All rows or none; problems listed per row and column (422).")
    public DirectoryService.ImportResult importPlaces(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return directory.importPlaces(TabularMedia.parse(body, contentType));
    }

    @GET
    @Path("directory/places/export")
    @Produces({Table.CSV, Table.XLSX})
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.ADMIN})
    @Operation(summary = "Export towns and villages as CSV or Excel (format=csv|xlsx)")
    public Response exportPlaces(@QueryParam("format") String format) {
        return TabularMedia.export(directory.exportPlaces(), format, "places", null);
    }

    @POST
    @Path("directory/people/import")
    @Consumes({Table.CSV, Table.XLSX})
    @RolesAllowed({Roles.OFFICE, Roles.ADMIN})
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Operation(summary = "Import people from CSV or Excel",
            description = "Matched by username; roles and villageCodes separated by |. All rows or none (422 lists every problem). "
                    + "Every created or changed person is published on directory-events. Each new person gets a sign-in account at the "
                    + "identity provider with a one-time password (in the answer: hand it out; it is changed at the first sign-in); a "
                    + "changed person's roles follow. An account that could not be made now is listed in accountErrors: "
                    + "POST /api/v1/people/{id}/account makes it later.")
    public PeopleImported importPeople(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        DirectoryService.PeopleImport done = directory.importPeople(TabularMedia.parse(body, contentType));
        // the directory's transaction has committed: the provider is called outside it
        Accounts.Outcome outcome = accounts.enabled() ? accounts.sync(done.createdPeople(), done.updatedPeople())
                : new Accounts.Outcome(List.of(), List.of());
        return new PeopleImported(done.created(), done.updated(), outcome.issued(), outcome.failed());
    }

    @POST
    @Path("people/{id}/account")
    @RolesAllowed({Roles.OFFICE, Roles.ADMIN})
    @Transactional(Transactional.TxType.NOT_SUPPORTED)
    @Operation(summary = "Make a person's sign-in account, or reset its password",
            description = "Answers a new one-time password, changed at the next sign-in. 404 when accounts are kept elsewhere.")
    public Accounts.Issued account(@jakarta.ws.rs.PathParam("id") UUID id) {
        if (!accounts.enabled()) {
            throw Problems.notFound("登录账号由区统一身份认证服务管理，不在此处");
        }
        Person person = io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> Person.<Person>findByIdOptional(id)
                .orElseThrow(() -> Problems.notFound("人员名录中没有此人：" + id)));
        return accounts.reset(person);
    }

    @GET
    @Path("directory/people/export")
    @Produces({Table.CSV, Table.XLSX})
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.ADMIN})
    @Operation(summary = "Export people as CSV or Excel (format=csv|xlsx)")
    public Response exportPeople(@QueryParam("format") String format) {
        return TabularMedia.export(directory.exportPeople(), format, "people", null);
    }
}
