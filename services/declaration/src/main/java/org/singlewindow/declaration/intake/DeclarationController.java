package org.singlewindow.declaration.intake;

import org.singlewindow.contract.Violation;
import org.singlewindow.declaration.query.DeclarationQueries;
import org.singlewindow.declaration.query.DeclarationView;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Submit and cancel declarations. The enterprise is the token's {@code enterprise_id}: it is recorded as
 * the declarant, a body naming another declaring agent is refused, and another enterprise's
 * declaration is answered as not found.
 */
@RestController
@RequestMapping("/api/v1/declarations")
class DeclarationController {

    private static final int MAX_BODY_BYTES = 1_048_576;
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final Submissions submissions;
    private final DeclarationQueries queries;

    DeclarationController(Submissions submissions, DeclarationQueries queries) {
        this.submissions = submissions;
        this.queries = queries;
    }

    /** Response body of a submission. */
    record Accepted(UUID id, String status, String submittedAt, boolean replayed, String location) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Accepted> submit(@AuthenticationPrincipal Jwt token, @RequestBody byte[] body,
                                    @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        String enterpriseId = Tenant.enterpriseId(token);
        if (body.length > MAX_BODY_BYTES) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Body too large",
                    "a declaration may be at most " + MAX_BODY_BYTES + " bytes",
                    List.of(new Violation("", "maxBytes", "at most " + MAX_BODY_BYTES + " bytes")));
        }
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw ApiException.invalid("Idempotency-Key", "pattern", "1 to 128 characters of A-Z a-z 0-9 . _ : -");
        }
        var declaration = submissions.parse(body);
        if (!enterpriseId.equals(declaration.declarant().agentCode())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Declarant is not the caller",
                    "an enterprise declares in its own name: declarant.agentCode must be the enterprise_id of the token",
                    List.of(new Violation("/declarant/agentCode", "tenant", "must equal the token's enterprise_id")));
        }
        Submissions.Submitted submitted = submissions.submit(declaration, enterpriseId, idempotencyKey);
        URI location = URI.create("/api/v1/declarations/" + submitted.id());
        return ResponseEntity.accepted()
                .location(location)
                .header("Idempotent-Replayed", Boolean.toString(submitted.replayed()))
                .body(new Accepted(submitted.id(), submitted.status().name(), submitted.submittedAt().toString(),
                        submitted.replayed(), location.toString()));
    }

    /** Optional body of a cancellation. */
    record Cancellation(String reason) {
    }

    @PostMapping(path = "/{id}/cancellation", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DeclarationView> cancel(@AuthenticationPrincipal Jwt token, @PathVariable UUID id,
                                           @RequestBody(required = false) Cancellation body) {
        String enterpriseId = Tenant.enterpriseId(token);
        String reason = body == null ? null : body.reason();
        if (reason != null && reason.length() > 500) {
            throw ApiException.invalid("/reason", "maxLength", "at most 500 characters");
        }
        // cancel() finds the declaration among this enterprise's only (404 otherwise)
        submissions.cancel(id, enterpriseId, reason);
        return ResponseEntity.accepted().body(queries.get(id));
    }

}
