package org.singlewindow.declaration.ceb;

import feign.FeignException;
import feign.Request;
import feign.Response;
import org.junit.jupiter.api.Test;
import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.kit.web.ApiException;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What the window's door does with a CEB711 or CEB513 before and after logistics sees it: who may send it, how it is
 * read, what logistics is handed, and how logistics' problem comes back named by the message's elements. Logistics
 * here answers as its internal API does (the end-to-end test, CebE2EIT, runs the real one).
 */
class LogisticsMessagesTest {

    private static final PartyRegister SANDBOX = PartyRegister.parse(PartyRegister.sandboxDocument());

    /** A logistics that keeps what it is handed and answers with {@code answer}. */
    private static final class Logistics implements LogisticsClient {
        final List<Map<String, Object>> handed = new ArrayList<>();
        final Function<Map<String, Object>, String> answer;

        Logistics(Function<Map<String, Object>, String> answer) {
            this.answer = answer;
        }

        @Override
        public String arrival(Map<String, Object> sent) {
            handed.add(sent);
            return answer.apply(sent);
        }

        @Override
        public String event(String logisticsNo, Map<String, Object> sent) {
            handed.add(Map.of("logisticsNo", logisticsNo, "sent", sent));
            return answer.apply(sent);
        }
    }

    private static String arrival(String operator, String appType, String rkdNo, String appTime) {
        return """
                <ceb:CEB711Message guid="G1" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:Delivery><ceb:DeliveryHead>
                <ceb:guid>CEB711_ZZKJ01_20261207_000000000001</ceb:guid><ceb:appType>%s</ceb:appType><ceb:appTime>%s</ceb:appTime>
                <ceb:appStatus>2</ceb:appStatus><ceb:customsCode>4606</ceb:customsCode><ceb:copNo>RK-OWN-1</ceb:copNo><ceb:preNo></ceb:preNo>
                <ceb:rkdNo>%s</ceb:rkdNo><ceb:operatorCode>%s</ceb:operatorCode><ceb:operatorName>op</ceb:operatorName><ceb:ieFlag>I</ceb:ieFlag>
                <ceb:trafMode>5</ceb:trafMode><ceb:trafNo>CA1</ceb:trafNo><ceb:voyageNo>1</ceb:voyageNo><ceb:billNo>784-1</ceb:billNo>
                <ceb:logisticsCode>4101960004</ceb:logisticsCode><ceb:logisticsName>x</ceb:logisticsName>
                <ceb:unloadLocation>ZZKJ01</ceb:unloadLocation><ceb:note></ceb:note></ceb:DeliveryHead>
                <ceb:DeliveryList><ceb:gnum>1</ceb:gnum><ceb:logisticsNo>WB1</ceb:logisticsNo><ceb:note></ceb:note></ceb:DeliveryList>
                <ceb:DeliveryList><ceb:gnum>2</ceb:gnum><ceb:logisticsNo>WB2</ceb:logisticsNo><ceb:note></ceb:note></ceb:DeliveryList>
                </ceb:Delivery><ceb:BaseTransfer><ceb:copCode>%s</ceb:copCode><ceb:copName>op</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode>
                <ceb:dxpId>D1</ceb:dxpId><ceb:note></ceb:note></ceb:BaseTransfer></ceb:CEB711Message>"""
                .formatted(appType, appTime, rkdNo, operator, operator);
    }

    private static String delivery(String logisticsCode, String status, String time) {
        return """
                <ceb:CEB513Message guid="G2" version="1.0" xmlns:ceb="http://www.chinaport.gov.cn/ceb"><ceb:LogisticsStatus>
                <ceb:guid>G2</ceb:guid><ceb:appType>1</ceb:appType><ceb:appTime>20261207120000</ceb:appTime><ceb:appStatus>2</ceb:appStatus>
                <ceb:logisticsCode>%s</ceb:logisticsCode><ceb:logisticsName>x</ceb:logisticsName><ceb:logisticsNo>WB1</ceb:logisticsNo>
                <ceb:logisticsStatus>%s</ceb:logisticsStatus><ceb:logisticsTime>%s</ceb:logisticsTime><ceb:note></ceb:note>
                </ceb:LogisticsStatus><ceb:BaseTransfer><ceb:copCode>4101960005</ceb:copCode><ceb:copName>a</ceb:copName>
                <ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>D1</ceb:dxpId><ceb:note></ceb:note></ceb:BaseTransfer></ceb:CEB513Message>"""
                .formatted(logisticsCode, status, time);
    }

    private static byte[] bytes(String xml) {
        return xml.getBytes(StandardCharsets.UTF_8);
    }

    /** What logistics' internal API answers with a problem. */
    private static FeignException problem(int status, String body) {
        Request request = Request.create(Request.HttpMethod.POST, "http://logistics/internal", Map.of(), null, StandardCharsets.UTF_8, null);
        return FeignException.errorStatus("LogisticsClient#arrival", Response.builder().status(status).reason("refused").request(request)
                .headers(Map.of("Content-Type", List.of("application/problem+json"))).body(body, StandardCharsets.UTF_8).build());
    }

    @Test
    void aSitesArrivalRecordIsHandedOnInItsSendersNameAsTheJsonApiTakesIt() {
        Logistics logistics = new Logistics(sent -> "{\"recorded\": 2}");
        var door = new LogisticsMessages(logistics, () -> SANDBOX, false);
        assertThat(LogisticsMessages.rootOf(bytes(arrival("4101960005", "1", "", "20261207083000")))).isEqualTo("CEB711Message");
        LogisticsMessages.Handed handed = door.take(bytes(arrival("4101960005", "1", "", "20261207083000")), "4101960005");
        assertThat(handed.kind()).isEqualTo("CEB711");
        assertThat(handed.answer().get("recorded").asInt()).isEqualTo(2);
        assertThat(logistics.handed).singleElement().satisfies(sent -> {
            assertThat(sent.get("sender")).isEqualTo("4101960005");
            @SuppressWarnings("unchecked") Map<String, Object> record = (Map<String, Object>) sent.get("arrival");
            assertThat(record).containsEntry("arrivalNo", "RK-OWN-1") // no rkdNo: the operator's copNo
                    .containsEntry("siteCode", "ZZKJ01").containsEntry("billNo", "784-1")
                    .containsEntry("arrivedAt", "2026-12-07T08:30+08:00");
            assertThat(record.get("waybills").toString()).isEqualTo("[{logisticsCode=4101960004, logisticsNo=WB1}, "
                    + "{logisticsCode=4101960004, logisticsNo=WB2}]");
        });
        assertThat(handed.identity()).containsEntry("rkdNo", "RK-OWN-1").containsEntry("operatorCode", "4101960005");
        assertThat(door.take(bytes(arrival("4101960005", "1", "RKD-9", "20261207083000")), "4101960005").identity())
                .containsEntry("rkdNo", "RKD-9");
    }

    @Test
    void anotherOperatorsRecordAChangeOrABadTimeIsRefusedBeforeLogisticsSeesIt() {
        Logistics logistics = new Logistics(sent -> "{}");
        var door = new LogisticsMessages(logistics, () -> SANDBOX, false);
        assertThatThrownBy(() -> door.take(bytes(arrival("4101960099", "1", "", "20261207083000")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(422);
                    assertThat(e.violations()).extracting(v -> v.field() + " " + v.rule())
                            .containsExactly("/ceb:CEB711Message/ceb:Delivery/ceb:DeliveryHead/ceb:operatorCode own-document");
                });
        assertThatThrownBy(() -> door.take(bytes(arrival("4101960005", "2", "", "20261207083000")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.violations().getFirst().field()).endsWith("ceb:appType"));
        assertThatThrownBy(() -> door.take(bytes(arrival("4101960005", "1", "", "2026-12-07")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.violations().getFirst().field()).endsWith("ceb:appTime");
                });
        assertThat(logistics.handed).isEmpty();
    }

    @Test
    void logisticsProblemComesBackNamedByTheMessagesElementsAndUnreachableIsA503() {
        var refusing = new LogisticsMessages(new Logistics(sent -> {
            throw problem(400, "{\"title\": \"Invalid request\", \"detail\": \"2 fields\", \"errors\": ["
                    + "{\"field\": \"/siteCode\", \"rule\": \"party-register\", \"message\": \"must be a supervised site you operate\"},"
                    + "{\"field\": \"/waybills/1/logisticsNo\", \"rule\": \"maxLength\", \"message\": \"1 to 60\"}]}");
        }), () -> SANDBOX, false);
        assertThatThrownBy(() -> refusing.take(bytes(arrival("4101960005", "1", "", "20261207083000")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.status().value()).isEqualTo(400);
                    assertThat(e.violations()).extracting(v -> v.field() + " " + v.rule()).containsExactly(
                            "/ceb:CEB711Message/ceb:Delivery/ceb:DeliveryHead/ceb:unloadLocation party-register",
                            "/ceb:CEB711Message/ceb:Delivery/ceb:DeliveryList[2]/ceb:logisticsNo maxLength");
                });
        var down = new LogisticsMessages(new Logistics(sent -> {
            throw new IllegalStateException("connection refused");
        }), () -> SANDBOX, false);
        assertThatThrownBy(() -> down.take(bytes(arrival("4101960005", "1", "", "20261207083000")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status().value()).isEqualTo(503));
    }

    @Test
    void aDeliveryComesFromTheFirmOrWhomItEntrustedAndIsStatusS() {
        Logistics logistics = new Logistics(sent -> "{\"events\": []}");
        var lenient = new LogisticsMessages(logistics, () -> SANDBOX, false);
        var strict = new LogisticsMessages(logistics, () -> SANDBOX, true);
        // enterprise-a is the firm's authorised agent: enough unless each party must send its own
        assertThat(lenient.take(bytes(delivery("4101960004", "S", "20261207120000")), "4101960005").status()).isEqualTo("DELIVERED");
        assertThat(logistics.handed).singleElement().satisfies(h -> {
            assertThat(h.get("logisticsNo")).isEqualTo("WB1");
            assertThat(h.get("sent").toString()).contains("sender=4101960005", "status=DELIVERED", "at=2026-12-07T12:00+08:00");
        });
        assertThatThrownBy(() -> strict.take(bytes(delivery("4101960004", "S", "20261207120000")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.violations().getFirst().field()).endsWith("ceb:logisticsCode"));
        assertThatThrownBy(() -> lenient.take(bytes(delivery("4101960004", "R", "20261207120000")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.violations().getFirst().rule()).isEqualTo("enum"));
        assertThatThrownBy(() -> lenient.take(bytes(delivery("4101960097", "S", "20261207120000")), "4101960005"))
                .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.violations().getFirst().rule()).isEqualTo("own-document"));
        assertThat(logistics.handed).hasSize(1);
    }
}
