package org.singlewindow.declaration.internal;

import org.singlewindow.contract.WindowStatus;
import org.singlewindow.declaration.query.DeclarationQueries;
import org.singlewindow.declaration.query.DeclarationView;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.UUID;

/**
 * For the platform's own services (role {@code platform-service}, client credentials): the window's
 * consolidated status of any declaration, e.g. for an agency back-office. Not routed by the gateway.
 */
@RestController
@RequestMapping(path = "/internal/v1/declarations", produces = MediaType.APPLICATION_JSON_VALUE)
class InternalDeclarationController {

    private final DeclarationQueries queries;

    InternalDeclarationController(DeclarationQueries queries) {
        this.queries = queries;
    }

    @GetMapping("/{id}/window-status")
    WindowStatus windowStatus(@PathVariable UUID id) {
        DeclarationView view = queries.get(id);
        return new WindowStatus(view.id(), view.status(), view.submittedAt(), view.finalAt(),
                view.agencies().stream()
                        .map(a -> new WindowStatus.AgencyDecision(a.agency(), a.acknowledged(), a.decision(), a.decisionCode(), a.reasonCode()))
                        .toList());
    }
}
