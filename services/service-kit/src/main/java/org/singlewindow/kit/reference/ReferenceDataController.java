package org.singlewindow.kit.reference;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.Violation;
import org.singlewindow.contract.reference.InvalidReferenceData;
import org.singlewindow.kit.web.AdminAudit;
import org.singlewindow.kit.web.ApiException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

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

    @PutMapping(path = "/{kind}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public InForce replace(@PathVariable String kind, @RequestBody byte[] body, Authentication who) {
        ReferenceData<?> data = find(kind);
        try {
            data.replace(body, who.getName());
        } catch (InvalidReferenceData e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid reference document",
                    "the " + kind + " document was not loaded; the one in force is unchanged",
                    e.problems().stream().map(p -> new Violation(p.contains(" ") ? p.substring(0, p.indexOf(' ')) : "", "reference", p)).toList());
        }
        InForce now = inForce(data);
        audit.record(who, "reference.replace", kind, "version " + now.version() + " in force");
        return now;
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
