package org.singlewindow.forex.clients.rates;

import feign.Param;
import feign.RequestLine;

/**
 * The external exchange-rate provider (outside the platform): {@code GET /rates?base=USD} answers the
 * day's table, units of each currency per US dollar. Built with plain OpenFeign (see
 * {@link RateFeedConfiguration}) so that no platform token is ever sent to it.
 */
public interface RateFeed {

    @RequestLine("GET /rates?base={base}")
    RateTable rates(@Param("base") String base);
}
