package org.singlewindow.declaration.ceb;

import org.springframework.cloud.openfeign.EnableFeignClients;
import org.springframework.context.annotation.Configuration;

/** The window's client of the logistics service, for the CEB messages it hands on ({@link LogisticsMessages}). */
@Configuration(proxyBeanMethods = false)
@EnableFeignClients(clients = LogisticsClient.class)
class LogisticsDoor {
}
