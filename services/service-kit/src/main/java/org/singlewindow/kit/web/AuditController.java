package org.singlewindow.kit.web;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;
import java.util.regex.Pattern;

/** What administrators did on this service, newest first (any of the administrator roles). */
@Tag(name = "Audit", description = "Who changed what through the admin API, and when.")
@RestController
@RequestMapping("/api/v1/admin/${spring.application.name}/audit")
public class AuditController {

    private static final Pattern ACTION = Pattern.compile("[a-z.-]{1,64}");

    private final AdminAudit audit;

    public AuditController(AdminAudit audit) {
        this.audit = audit;
    }

    @GetMapping
    public List<AdminAudit.Entry> latest(@RequestParam(required = false) String action,
                                         @RequestParam(defaultValue = "100") int limit) {
        if (action != null && !ACTION.matcher(action).matches()) {
            throw ApiException.invalid("action", "pattern", "an action name such as dead-letter.replay");
        }
        return audit.latest(action, Math.clamp(limit, 1, 1000));
    }
}
