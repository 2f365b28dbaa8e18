package org.singlewindow.kit.reference;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.InvalidReferenceData;
import org.singlewindow.kit.web.AdminAudit;
import org.singlewindow.kit.web.ApiException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Administrators' view of the reference data this service decides by, and replacing a document
 * without a restart ({@code reference-admin}; every replacement is in the audit log).
 */
@Tag(name = "Reference data", description = "Versioned reference documents (tariff, rules, party register): read, and replace without a restart.")
@RestController
@RequestMapping("/api/v1/admin/${spring.application.name}/reference")
public class ReferenceDataController {

    private final Map<String, ReferenceData<?>> byName;
    private final AdminAudit audit;

    public ReferenceDataController(ObjectProvider<ReferenceData<?>> documents, AdminAudit audit) {
        this.audit = audit;
        this.byName = documents.orderedStream().collect(Collectors.toMap(d -> d.kind().name(), Function.identity()));
    }

    public record InForce(String kind, String version, LocalDate effectiveFrom, String source, String origin,
                          OffsetDateTime loadedAt) {
    }

    @GetMapping
    public List<InForce> list() {
        return byName.values().stream().map(ReferenceDataController::inForce).toList();
    }

    @GetMapping("/{kind}")
    public InForce get(@PathVariable String kind) {
        return inForce(find(kind));
    }

    /** Every version administrators loaded, newest (in force) first; none: the bundled one is in force. */
    @GetMapping("/{kind}/versions")
    public List<ReferenceData.Version> versions(@PathVariable String kind) {
        return find(kind).versions();
    }

    /** The document in force, as it was loaded (or the bundled file): to compare a new version with. */
    @GetMapping(path = "/{kind}/document", produces = MediaType.APPLICATION_JSON_VALUE)
    public byte[] document(@PathVariable String kind) {
        return find(kind).body();
    }

    /** What would be in force: a document checked as {@code PUT} checks it, but not loaded (422 with every problem). */
    public record Checked(String kind, String version, LocalDate effectiveFrom, String source) {
    }

    @PostMapping(path = "/{kind}/check", consumes = MediaType.APPLICATION_JSON_VALUE)
    public Checked check(@PathVariable String kind, @RequestBody byte[] body) {
        ReferenceData<?> data = find(kind);
        try {
            ReferenceKind.Info info = data.check(body);
            return new Checked(data.kind().name(), info.version(), info.effectiveFrom(), info.source());
        } catch (InvalidReferenceData e) {
            throw invalid(kind, e, "checked, not loaded");
        }
    }

    @PutMapping(path = "/{kind}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public InForce replace(@PathVariable String kind, @RequestBody byte[] body, Authentication who) {
        ReferenceData<?> data = find(kind);
        try {
            data.replace(body, who.getName());
        } catch (InvalidReferenceData e) {
            throw invalid(kind, e, "not loaded; the one in force is unchanged");
        }
        InForce now = inForce(data);
        audit.record(who, "reference.replace", kind, "version " + now.version() + " in force");
        return now;
    }

    /**
     * A document kept as a table (the tariff), checked or loaded from CSV: the table in the body
     * ({@code Content-Type: text/csv}, its {@code charset} UTF-8 unless it names another, such as GBK), what the
     * JSON document's header would say as parameters. The JSON it becomes is what is kept and served.
     */
    @PostMapping(path = "/{kind}/check", consumes = "text/csv")
    public Checked checkCsv(@PathVariable String kind, @RequestBody byte[] body,
                            @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType type, @RequestParam String version,
                            @RequestParam LocalDate effectiveFrom, @RequestParam String source) {
        return check(kind, csv(kind, body, type, new ReferenceKind.Info(version, effectiveFrom, source), "checked, not loaded"));
    }

    @PutMapping(path = "/{kind}", consumes = "text/csv")
    public InForce replaceCsv(@PathVariable String kind, @RequestBody byte[] body, @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType type,
                              @RequestParam String version, @RequestParam LocalDate effectiveFrom, @RequestParam String source,
                              Authentication who) {
        return replace(kind, csv(kind, body, type, new ReferenceKind.Info(version, effectiveFrom, source),
                "not loaded; the one in force is unchanged"), who);
    }

    private byte[] csv(String kind, byte[] body, MediaType type, ReferenceKind.Info header, String what) {
        ReferenceData<?> data = find(kind);
        try {
            return data.kind().fromCsv(body, type.getCharset() == null ? StandardCharsets.UTF_8 : type.getCharset(), header);
        } catch (UnsupportedOperationException e) {
            throw new ApiException(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "Unsupported media type", e.getMessage()
                    + ": PUT it as application/json", List.of());
        } catch (InvalidReferenceData e) {
            throw invalid(kind, e, what);
        }
    }

    private static ApiException invalid(String kind, InvalidReferenceData e, String what) {
        return new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid reference document",
                "the " + kind + " document was " + what,
                e.problems().stream().map(p -> new Violation(p.contains(" ") ? p.substring(0, p.indexOf(' ')) : "", "reference", p)).toList());
    }

    private ReferenceData<?> find(String kind) {
        ReferenceData<?> data = byName.get(kind);
        if (data == null) {
            throw ApiException.notFound("reference document '" + kind + "' of this service");
        }
        return data;
    }

    private static InForce inForce(ReferenceData<?> data) {
        var current = data.current();
        return new InForce(data.kind().name(), current.info().version(), current.info().effectiveFrom(),
                current.info().source(), current.origin(), current.loadedAt());
    }
}
