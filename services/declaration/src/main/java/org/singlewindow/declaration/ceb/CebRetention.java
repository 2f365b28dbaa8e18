package org.singlewindow.declaration.ceb;

import org.singlewindow.kit.RetentionRule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * How long CEB messages are kept: a document whose order never completed is dropped after
 * {@code sw.retention.ceb-waiting} (30 days); a filed one keeps its message as received — its signature
 * verifies against it — until its declaration's people's data is removed ({@code PersonalDataRetention}),
 * and then keeps its hash, signer and signature method only.
 */
@Configuration(proxyBeanMethods = false)
class CebRetention {

    @Bean
    RetentionRule cebWaitingDocuments(@Value("${sw.retention.ceb-waiting:P30D}") Duration keep) {
        return new RetentionRule("ceb-waiting", "sw.ceb.waiting.removed",
                "CEB messages dropped because their order never completed", keep, """
                        delete from ceb_document where id = any(array(select id from ceb_document
                            where declaration_id is null and received_at < ? limit ?))""");
    }

    @Bean
    RetentionRule unclaimedPartyConfirmations(@Value("${sw.retention.ceb-waiting:P30D}") Duration keep) {
        // a firm's confirmation no declaration named within the time a waiting CEB document is kept
        return new RetentionRule("party-confirmations", "sw.declarations.confirmations.removed",
                "Firms' confirmations no declaration named in time", keep, """
                        delete from party_confirmation where (role, party_code, order_no, document_no) in (
                            select role, party_code, order_no, document_no from party_confirmation where received_at < ? limit ?)""");
    }

    @Bean
    RetentionRule cebPersonalData() {
        // the cutoff is the declaration's own removal time: as soon as it is removed there, it goes here
        return new RetentionRule("ceb-personal-data", "sw.ceb.personal.data.removed",
                "Filed CEB messages whose text was removed with their declaration's people's data", Duration.ZERO, """
                        update ceb_document set xml = null, body = null where id = any(array(select c.id
                            from ceb_document c join declaration d on d.id = c.declaration_id
                            where d.personal_data_removed_at < ? and c.xml is not null limit ?))""");
    }
}
