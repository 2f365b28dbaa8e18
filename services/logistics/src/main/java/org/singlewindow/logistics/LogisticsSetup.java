package org.singlewindow.logistics;

import org.singlewindow.contract.reference.PartyRegister;
import org.singlewindow.kit.Deployment;
import org.singlewindow.kit.reference.Parties;
import org.singlewindow.kit.reference.ReferenceData;
import org.singlewindow.kit.security.AccessRules;
import org.singlewindow.identity.Roles;
import org.singlewindow.logistics.stock.BondedStock;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** Who may call the bonded-zone endpoints, and the opening stock of the sandbox's demo warehouse. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(LogisticsSetup.LogisticsProperties.class)
class LogisticsSetup {

    /**
     * Settings of the logistics service ({@code sw.logistics.*}).
     *
     * @param openingStock accounts opened at start if they do not exist yet (the sandbox's demo
     *                     warehouse); production stocks in through the API
     */
    @ConfigurationProperties("sw.logistics")
    record LogisticsProperties(List<Opening> openingStock) {
        LogisticsProperties {
            openingStock = openingStock == null ? List.of() : List.copyOf(openingStock);
        }

        record Opening(String warehouseCode, String ownerCode, String itemRecordNo, BigDecimal quantity) {
        }
    }

    /**
     * Enterprises (warehouse operators, declarants, logistics firms) stock in, report waybill events and
     * returned goods arrived back; supervised sites' operators record direct imports' arrivals; the window hands on
     * what such enterprises send it as CEB messages (CEB711, CEB513: internal, platform services only);
     * they, logistics officers and administrators read stock levels and waybills. Before the agency rule
     * that opens the rest of /api/v1/logistics/** to logistics officers.
     */
    @Bean
    @Order(0)
    AccessRules bondedZoneAccess() {
        return requests -> requests
                .requestMatchers("/internal/v1/**").hasRole(Roles.PLATFORM_SERVICE)
                .requestMatchers(HttpMethod.POST, "/api/v1/logistics/arrivals").hasRole(Roles.ENTERPRISE)
                .requestMatchers("/api/v1/logistics/arrivals").hasAnyRole(Roles.ENTERPRISE, "logistics-officer", Roles.OPERATIONS_ADMIN)
                .requestMatchers("/api/v1/logistics/stock-ins", "/api/v1/logistics/waybills/**",
                        "/api/v1/logistics/returns/*/arrived").hasRole(Roles.ENTERPRISE)
                .requestMatchers("/api/v1/logistics/stock").hasAnyRole(Roles.ENTERPRISE, "logistics-officer", Roles.OPERATIONS_ADMIN);
    }

    /** Who operates which bonded warehouse and whose goods are whose (the party register). */
    @Bean
    ReferenceData<PartyRegister> partyRegister(JdbcClient jdbc, @Value("${sw.env}") String env) {
        return new ReferenceData<>(new Parties(Deployment.isSandbox(env)), jdbc);
    }

    @Bean
    ApplicationRunner openingStock(LogisticsProperties properties, BondedStock stock, JdbcClient jdbc, TransactionTemplate tx) {
        return args -> tx.executeWithoutResult(status -> properties.openingStock().forEach(o -> {
            var account = new BondedStock.Account(o.warehouseCode(), o.ownerCode(), o.itemRecordNo());
            boolean exists = jdbc.sql("""
                            select count(*) from stock_account where warehouse_code = ? and owner_code = ? and item_record_no = ?""")
                    .params(o.warehouseCode(), o.ownerCode(), o.itemRecordNo()).query(Long.class).single() > 0;
            if (!exists) {
                stock.stockIn(account, o.quantity(), null, "OPENING", OffsetDateTime.now(ZoneOffset.UTC));
            }
        }));
    }
}
