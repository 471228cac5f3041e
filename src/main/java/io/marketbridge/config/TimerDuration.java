package io.marketbridge.config;

import org.eclipse.microprofile.config.spi.Converter;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A duration the routes' timers read too ({@code period: "{{marketbridge.ebay.orders.poll-period}}"}): written
 * {@code 5m}, {@code 30s}, {@code 500ms}, {@code 1h30m} (lower-case units d, h, m, s, ms, largest first), or a bare
 * number of milliseconds as before. Camel's timer reads the same text: a bare number as milliseconds, and ISO-8601
 * ({@code PT5S}), upper-case units or anything else it does not parse as 0, which would make a poll run once and
 * never again; so those are refused here, at start-up, instead of being read as seconds (SmallRye's default).
 */
public class TimerDuration implements Converter<Duration> {

    private static final Pattern UNITS = Pattern.compile("(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");
    private static final Pattern MILLIS = Pattern.compile("\\d+");

    @Override
    public Duration convert(String value) {
        String text = value.trim();
        if (text.isEmpty()) {
            return null;
        }
        if (MILLIS.matcher(text).matches()) {
            return Duration.ofMillis(Long.parseLong(text));
        }
        Matcher units = UNITS.matcher(text);
        if (!units.matches()) {
            throw new IllegalArgumentException("'" + value + "' is not a timer duration: write it as 5m, 30s, 500ms or 1h30m"
                    + " (lower-case units, no ISO-8601 PT form), since the route's timer reads it too");
        }
        return Duration.ofDays(part(units, 1)).plusHours(part(units, 2)).plusMinutes(part(units, 3))
                .plusSeconds(part(units, 4)).plusMillis(part(units, 5));
    }

    private static long part(Matcher units, int group) {
        String digits = units.group(group);
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
