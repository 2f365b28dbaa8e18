package org.singlewindow.logistics.waybill;

import io.swagger.v3.oas.annotations.tags.Tag;
import org.singlewindow.kit.security.Tenant;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A waybill and its status events in JSON ({@link WaybillEvents}): picked, left the bonded zone, delivered, in that
 * order. The declarant and the logistics firm on the waybill report and read them.
 */
@Tag(name = "Waybills", description = "A parcel's way out of the bonded zone: its waybill and its events.")
@RestController
@RequestMapping(path = "/api/v1/logistics/waybills/{logisticsNo}", produces = MediaType.APPLICATION_JSON_VALUE)
class WaybillController {

    private final WaybillEvents events;

    WaybillController(WaybillEvents events) {
        this.events = events;
    }

    @GetMapping
    WaybillEvents.WaybillView get(@PathVariable String logisticsNo, @AuthenticationPrincipal Jwt token) {
        return events.get(logisticsNo, Tenant.enterpriseId(token));
    }

    @PostMapping(path = "/events", consumes = MediaType.APPLICATION_JSON_VALUE)
    WaybillEvents.WaybillView report(@PathVariable String logisticsNo, @RequestBody WaybillEvents.Event event,
                                     @AuthenticationPrincipal Jwt token) {
        return events.report(logisticsNo, event, Tenant.enterpriseId(token));
    }
}
