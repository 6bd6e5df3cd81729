package org.sluice.platform.config;

/**
 * The text of one configuration source, as read.
 *
 * @param origin where it came from, for messages (a path or a URI without credentials); null when unnamed
 * @param text   its properties text
 */
public record ConfigText(String origin, String text) {
}
