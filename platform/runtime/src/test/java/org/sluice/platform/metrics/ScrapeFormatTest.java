package org.sluice.platform.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ScrapeFormatTest {

    @Test
    void aPlainRequestGetsFlumesJson() {
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate(null));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate(""));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate("*/*"));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate("application/json"));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate(
                "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate("image/png"));
    }

    @Test
    void whatPrometheusSendsGetsOpenMetrics() {
        // Prometheus 2.x and 3.x (with its escaping parameter).
        assertEquals(ScrapeFormat.OPENMETRICS, ScrapeFormat.negotiate(PrometheusScrapeTest.PROMETHEUS_ACCEPT));
        assertEquals(ScrapeFormat.OPENMETRICS, ScrapeFormat.negotiate("application/openmetrics-text;version=1.0.0;"
                + "escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5,"
                + "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2"));
    }

    @Test
    void theTextFormatWhenAskedFor() {
        assertEquals(ScrapeFormat.PROMETHEUS_TEXT, ScrapeFormat.negotiate("text/plain;version=0.0.4;q=1,*/*;q=0.1"));
        assertEquals(ScrapeFormat.PROMETHEUS_TEXT, ScrapeFormat.negotiate("text/plain"));
        assertEquals(ScrapeFormat.PROMETHEUS_TEXT, ScrapeFormat.negotiate("TEXT/PLAIN ; Version=0.0.4"));
    }

    @Test
    void theHighestQualityWinsAndTheFirstAmongEquals() {
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate("application/openmetrics-text;q=0.5,application/json"));
        assertEquals(ScrapeFormat.PROMETHEUS_TEXT, ScrapeFormat.negotiate("text/plain,application/json"));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate("application/json,text/plain"));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate("application/openmetrics-text;q=0,*/*"));
        assertEquals(ScrapeFormat.JSON, ScrapeFormat.negotiate("text/plain;q=zero"));
    }
}
