package org.singlewindow.declaration;

import org.singlewindow.kit.RetentionRule;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * The window keeps a declaration as it was filed — the record customs may ask for — and its people's
 * data only as long as the record needs them: {@code sw.retention.personal-data} (three years by default,
 * the period declarations' documents are kept) after the declaration's final outcome, the buyer's and
 * payer's names, ID numbers and telephones and the consignees' names, telephones and addresses are
 * taken out of the body (the ID types, countries, the order, its lines and amounts stay). Pruned in
 * chunks by the kit's {@link org.singlewindow.kit.Pruning}, counted as {@code sw.declarations.personal.data.removed}.
 */
@Configuration
class PersonalDataRetention {

    @Bean
    RetentionRule declarationPersonalData(@Value("${sw.retention.personal-data:P1095D}") Duration keep) {
        return new RetentionRule("personal-data", "sw.declarations.personal.data.removed",
                "Final declarations whose people's data was taken out of the body after the retention", keep, """
                        update declaration set personal_data_removed_at = now(), body = body
                            #- '{order,buyer,name}' #- '{order,buyer,idNumber}' #- '{order,buyer,telephone}'
                            #- '{order,consignee,name}' #- '{order,consignee,telephone}' #- '{order,consignee,address}'
                            #- '{logistics,consignee,name}' #- '{logistics,consignee,telephone}' #- '{logistics,consignee,address}'
                            #- '{payment,payerName}' #- '{payment,payerIdNumber}'
                        where id = any(array(select id from declaration
                            where final_at < ? and personal_data_removed_at is null limit ?))""");
    }
}
