package org.singlewindow.logistics.arrival;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.identity.Roles;
import org.singlewindow.kit.security.Tenant;
import org.springframework.http.MediaType;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Arrival records of direct imports (9610) in JSON ({@link Arrivals}): the site's operator records them; logistics
 * officers and administrators read every one, an enterprise those it recorded and those of its own firm's parcels.
 */
@Tag(name = "Arrivals", description = "Direct imports (9610): parcels recorded as arrived at a supervised site.")
@RestController
@RequestMapping(path = "/api/v1/logistics/arrivals", produces = MediaType.APPLICATION_JSON_VALUE)
class ArrivalController {

    private final Arrivals arrivals;

    ArrivalController(Arrivals arrivals) {
        this.arrivals = arrivals;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    Arrivals.Recorded record(@RequestBody Arrivals.ArrivalRecord arrival, @AuthenticationPrincipal Jwt token) {
        return arrivals.record(arrival, Tenant.enterpriseId(token));
    }

    /** Arrivals, newest first, by waybill number ({@code logisticsNo}) or arrival record number ({@code arrivalNo}). */
    @GetMapping
    List<Arrivals.ArrivalView> list(@RequestParam(required = false) String logisticsNo, @RequestParam(required = false) String arrivalNo,
                                    Authentication caller, @AuthenticationPrincipal Jwt token) {
        boolean all = caller.getAuthorities().stream().anyMatch(a -> a.getAuthority().equals("ROLE_logistics-officer")
                || a.getAuthority().equals("ROLE_" + Roles.OPERATIONS_ADMIN));
        return arrivals.list(logisticsNo, arrivalNo, all ? null : Tenant.enterpriseId(token));
    }
}
