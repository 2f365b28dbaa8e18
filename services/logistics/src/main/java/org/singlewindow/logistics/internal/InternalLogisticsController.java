package org.singlewindow.logistics.internal;

import io.swagger.v3.oas.annotations.Hidden;
import org.singlewindow.kit.web.ApiException;
import org.singlewindow.logistics.arrival.Arrivals;
import org.singlewindow.logistics.waybill.WaybillEvents;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the window hands on from its CEB door (role {@code platform-service} only; never routed by the gateway): a
 * site operator's arrival record (CEB711) and a logistics firm's delivery (CEB513), each in the name of the enterprise
 * that sent the message, whose signature and registration the window has checked. Answered as the JSON API answers
 * the enterprise itself, problems included.
 */
@Hidden
@RestController
@RequestMapping(path = "/internal/v1/logistics", produces = MediaType.APPLICATION_JSON_VALUE)
class InternalLogisticsController {

    /** An arrival record and who sent it. */
    record SentArrival(String sender, Arrivals.ArrivalRecord arrival) {
    }

    /** A waybill event and who sent it. */
    record SentEvent(String sender, WaybillEvents.Event event) {
    }

    private final Arrivals arrivals;
    private final WaybillEvents events;

    InternalLogisticsController(Arrivals arrivals, WaybillEvents events) {
        this.arrivals = arrivals;
        this.events = events;
    }

    @PostMapping(path = "/arrivals", consumes = MediaType.APPLICATION_JSON_VALUE)
    Arrivals.Recorded arrival(@RequestBody SentArrival sent) {
        return arrivals.record(sent.arrival(), sender(sent.sender()));
    }

    @PostMapping(path = "/waybills/{logisticsNo}/events", consumes = MediaType.APPLICATION_JSON_VALUE)
    WaybillEvents.WaybillView event(@PathVariable String logisticsNo, @RequestBody SentEvent sent) {
        return events.report(logisticsNo, sent.event(), sender(sent.sender()));
    }

    private static String sender(String sender) {
        if (sender == null || !sender.matches("[0-9A-Z]{10}")) {
            throw ApiException.invalid("/sender", "pattern", "the enterprise that sent the message: 10 digits or capital letters");
        }
        return sender;
    }
}
