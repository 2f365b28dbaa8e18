package org.singlewindow.declaration.intake;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.contract.Declaration;
import org.singlewindow.contract.Violation;
import org.singlewindow.declaration.query.DeclarationQueries;
import org.singlewindow.declaration.query.DeclarationView;
import org.singlewindow.kit.security.Tenant;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.kit.web.IdempotencyKeys;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.UUID;

/**
 * Submit, amend, cancel, withdraw declarations and apply for returns. The enterprise is the token's {@code enterprise_id}: it is recorded as
 * the declarant, a body naming another declaring agent is refused, a body naming a platform, enterprise,
 * payment or logistics firm that has not authorised it is refused ({@link DeclaringRights}), and
 * another enterprise's declaration is answered as not found.
 */
@Tag(name = "Declarations", description = "Declarations: file once, follow every agency, amend, cancel, withdraw, return.")
@RestController
@RequestMapping("/api/v1/declarations")
class DeclarationController {


    private final Submissions submissions;
    private final DeclarationQueries queries;
    private final DeclaringRights rights;
    private final Returns returns;

    DeclarationController(Submissions submissions, DeclarationQueries queries, DeclaringRights rights, Returns returns) {
        this.submissions = submissions;
        this.returns = returns;
        this.queries = queries;
        this.rights = rights;
    }

    /** Response body of a submission. */
    record Accepted(UUID id, String status, String submittedAt, boolean replayed, String location) {
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Accepted> submit(@AuthenticationPrincipal Jwt token, @RequestBody byte[] body,
                                    @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        String enterpriseId = Tenant.enterpriseId(token);
        // the body is at most sw.http.max-body (1 MB): the kit's RequestBodyGuard refused a longer one unread
        IdempotencyKeys.optional(idempotencyKey);
        var declaration = submissions.parse(body);
        checkParties(declaration, enterpriseId);
        Submissions.Submitted submitted = submissions.submit(declaration, enterpriseId, idempotencyKey);
        URI location = URI.create("/api/v1/declarations/" + submitted.id());
        return ResponseEntity.accepted()
                .location(location)
                .header("Idempotent-Replayed", Boolean.toString(submitted.replayed()))
                .body(new Accepted(submitted.id(), submitted.status().name(), submitted.submittedAt().toString(),
                        submitted.replayed(), location.toString()));
    }

    /** The declarant is the caller, and every code is the caller's or a principal's (the party register). */
    private void checkParties(Declaration declaration, String enterpriseId) {
        if (!enterpriseId.equals(declaration.declarant().agentCode())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Declarant is not the caller",
                    "an enterprise declares in its own name: declarant.agentCode must be the enterprise_id of the token",
                    List.of(new Violation("/declarant/agentCode", "tenant", "must equal the token's enterprise_id")));
        }
        List<Violation> refused = rights.check(declaration, enterpriseId);
        if (!refused.isEmpty()) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_CONTENT, "Codes the caller may not declare with",
                    "by the party register, every code of a declaration is the caller's own or that of a party that "
                            + "authorised the caller as its declaring agent", refused);
        }
    }

    /**
     * Amend a declaration not yet final with a whole new version (appType CHANGE, the same order): 202 with
     * the declaration, back to RECEIVED while every agency decides again; the same body again changes nothing.
     */
    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DeclarationView> amend(@AuthenticationPrincipal Jwt token, @PathVariable UUID id, @RequestBody byte[] body) {
        String enterpriseId = Tenant.enterpriseId(token);
        var declaration = submissions.parse(body, Declaration.AppType.CHANGE);
        checkParties(declaration, enterpriseId);
        String who = token.getClaimAsString("preferred_username");
        submissions.amend(id, enterpriseId, who == null ? token.getSubject() : who, declaration);
        return ResponseEntity.accepted().body(queries.get(id));
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

    /** Body of a withdrawal after release: why (required). */
    record Withdrawal(String reason) {
    }

    /**
     * Withdraw a cleared declaration whose goods are still in the bonded zone: 202 with the declaration,
     * {@code WITHDRAWING} until logistics has answered and every agency has restored what it committed.
     */
    @PostMapping(path = "/{id}/withdrawal", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DeclarationView> withdraw(@AuthenticationPrincipal Jwt token, @PathVariable UUID id,
                                             @RequestBody Withdrawal body) {
        String enterpriseId = Tenant.enterpriseId(token);
        String reason = body == null || body.reason() == null ? "" : body.reason().strip();
        if (reason.isEmpty()) {
            throw ApiException.invalid("/reason", "required", "say why the declaration is withdrawn");
        }
        if (reason.length() > 500) {
            throw ApiException.invalid("/reason", "maxLength", "at most 500 characters");
        }
        submissions.withdraw(id, enterpriseId, reason);
        return ResponseEntity.accepted().body(queries.get(id));
    }

    /**
     * Apply to return some lines of a cleared declaration whose goods have left the zone, within 30 days of
     * release: 201 with the return ({@code APPLIED}, its goods due back by {@code receiveBy}).
     */
    @PostMapping(path = "/{id}/returns", consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<DeclarationView.ReturnView> applyReturn(@AuthenticationPrincipal Jwt token, @PathVariable UUID id,
                                                           @RequestBody Returns.Application body) {
        UUID returnId = returns.apply(id, Tenant.enterpriseId(token), body);
        DeclarationView.ReturnView view = queries.returns(id).stream().filter(r -> r.returnId().equals(returnId)).findFirst().orElseThrow();
        return ResponseEntity.created(URI.create("/api/v1/declarations/" + id + "/returns/" + returnId)).body(view);
    }

}
