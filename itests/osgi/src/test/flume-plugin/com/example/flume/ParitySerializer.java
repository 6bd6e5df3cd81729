package com.example.flume;

import org.apache.flume.Context;
import org.apache.flume.conf.ComponentConfiguration;
import org.apache.flume.interceptor.RegexExtractorInterceptorSerializer;

/** A plugin's regex_extractor serializer written against Flume 1.11's API only: a number's parity. */
public class ParitySerializer implements RegexExtractorInterceptorSerializer {
    private String even;
    private String odd;

    @Override
    public void configure(Context context) {
        even = context.getString("even", "even");
        odd = context.getString("odd", "odd");
    }

    @Override
    public void configure(ComponentConfiguration conf) {
    }

    @Override
    public String serialize(String value) {
        return Long.parseLong(value) % 2 == 0 ? even : odd;
    }
}
