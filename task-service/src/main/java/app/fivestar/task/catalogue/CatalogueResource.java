package app.fivestar.task.catalogue;

import app.fivestar.platform.security.Roles;
import app.fivestar.task.tabular.Table;
import app.fivestar.task.tabular.TabularMedia;
import io.quarkus.panache.common.Sort;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

@Path("/api/v1/catalogue")
@Tag(name = "catalogue", description = "任务清单（126项具体任务）")
public class CatalogueResource {

    @Inject
    CatalogueService catalogue;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Transactional(Transactional.TxType.SUPPORTS)
    @Operation(summary = "The task catalogue", description = "Every catalogue item, optionally only one star or only active items, ordered by star and code.")
    public List<CatalogItem> list(@QueryParam("star") Star star, @QueryParam("active") Boolean active) {
        return CatalogItem.<CatalogItem>listAll(Sort.by("star").and("code")).stream()
                .filter(i -> star == null || i.star == star)
                .filter(i -> active == null || i.active == active)
                .toList();
    }

    @GET
    @Path("{code}")
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.GROUP_LEAD, Roles.CADRE, Roles.LEADER, Roles.TOWN_SECRETARY, Roles.ADMIN})
    @Operation(summary = "One catalogue item by its code, e.g. ST-07")
    public CatalogItem get(@PathParam("code") String code) {
        return catalogue.get(code);
    }

    @POST
    @Path("import")
    @Consumes({Table.CSV, Table.XLSX})
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed({Roles.OFFICE, Roles.ADMIN})
    @Operation(summary = "Import the catalogue from CSV or Excel",
            description = "Checks the whole file first. Any bad row → 422 with every problem (row, column, problem) and nothing changed; "
                    + "otherwise all rows are applied at once, matched by code (new codes are created, existing ones updated).")
    public CatalogueService.ImportResult importFile(byte[] body, @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType) {
        return catalogue.importTable(TabularMedia.parse(body, contentType));
    }


    @GET
    @Path("export")
    @Produces({Table.CSV, Table.XLSX})
    @RolesAllowed({Roles.OFFICE, Roles.LEADER, Roles.ADMIN})
    @Operation(summary = "Export the catalogue as CSV or Excel", description = "format=csv (default) or xlsx; the file imports back unchanged.")
    public Response export(@QueryParam("format") String format) {
        return TabularMedia.export(catalogue.export(), format, "catalogue", "五星支部创建任务清单");
    }
}
