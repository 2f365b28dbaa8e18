package org.singlewindow.declaration.ceb;

import org.springframework.context.annotation.Configuration;
import org.springframework.http.converter.HttpMessageConverters;
import org.springframework.http.converter.xml.JacksonXmlHttpMessageConverter;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * Jackson XML is here to read CEB messages, not to answer in XML: without this, Spring would render any
 * JSON answer as Jackson's generic XML for a caller asking {@code Accept: application/xml}. The only XML
 * the window answers with is customs' own (CEB622), rendered by {@link Ceb622}; everything else stays
 * JSON (a caller accepting only XML there gets a {@code 406}).
 */
@Configuration(proxyBeanMethods = false)
class XmlResponses implements WebMvcConfigurer {

    @Override
    public void configureMessageConverters(HttpMessageConverters.ServerBuilder builder) {
        builder.configureMessageConvertersList(converters -> converters.removeIf(JacksonXmlHttpMessageConverter.class::isInstance));
    }
}
