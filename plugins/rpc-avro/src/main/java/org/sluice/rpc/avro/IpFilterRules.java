package org.sluice.rpc.avro;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ipfilter.IpFilterRuleType;

/**
 * Flume's {@code ipFilterRules}: a comma-separated list of {@code allow|deny:ip|name:pattern}, where the
 * pattern may use {@code *} and {@code ?}. The first rule that matches a client decides; a client no rule
 * matches is let in (Netty's RuleBasedIpFilter, as Flume uses it). {@code ip} matches the client's address,
 * {@code name} its host name (a reverse lookup, as in Flume).
 */
final class IpFilterRules {
    private IpFilterRules() {
    }

    /** The rules, or an IllegalArgumentException naming the rule that is not of the form above. */
    static List<IpFilterRule> parse(String definition) {
        List<IpFilterRule> rules = new ArrayList<>();
        for (String text : definition.split(",")) {
            String rule = text.trim();
            if (rule.isEmpty()) {
                continue;
            }
            String[] parts = rule.split(":", 3);
            if (parts.length != 3 || parts[2].isEmpty()) {
                throw invalid(rule);
            }
            IpFilterRuleType type;
            switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
                case "allow":
                    type = IpFilterRuleType.ACCEPT;
                    break;
                case "deny":
                    type = IpFilterRuleType.REJECT;
                    break;
                default:
                    throw invalid(rule);
            }
            boolean byName;
            switch (parts[1].trim().toLowerCase(Locale.ROOT)) {
                case "ip":
                    byName = false;
                    break;
                case "name":
                    byName = true;
                    break;
                default:
                    throw invalid(rule);
            }
            rules.add(new PatternRule(type, byName, glob(parts[2].trim())));
        }
        return rules;
    }

    private static IllegalArgumentException invalid(String rule) {
        return new IllegalArgumentException("invalid rule '" + rule
                + "': it should look like <'allow' or 'deny'>:<'ip' or 'name'>:<pattern>");
    }

    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            if (c == '*') {
                regex.append(".*");
            } else if (c == '?') {
                regex.append('.');
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }

    private record PatternRule(IpFilterRuleType ruleType, boolean byName, Pattern pattern) implements IpFilterRule {
        @Override
        public boolean matches(InetSocketAddress remote) {
            InetAddress address = remote.getAddress();
            if (address == null) {
                return false;
            }
            return byName ? pattern.matcher(address.getHostName()).matches()
                    : pattern.matcher(address.getHostAddress()).matches();
        }
    }
}
