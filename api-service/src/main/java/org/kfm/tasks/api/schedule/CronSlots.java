package org.kfm.tasks.api.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * A schedule's slots: its cron expression evaluated in its time zone. Five fields are read as Unix
 * cron (minute hour day-of-month month day-of-week); six or seven as Quartz (seconds first, an
 * optional year last, {@code ?} in one of the day fields), which is how a schedule fires more often
 * than once a minute. Parsing and evaluation are cron-utils'.
 */
public final class CronSlots {
  private static final CronParser UNIX =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.UNIX));
  private static final CronParser QUARTZ =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.QUARTZ));

  private final ExecutionTime execution;
  private final ZoneId zone;

  private CronSlots(Cron cron, ZoneId zone) {
    this.execution = ExecutionTime.forCron(cron);
    this.zone = zone;
  }

  /**
   * @throws IllegalArgumentException with the parser's message when the expression is not valid
   */
  public static CronSlots of(String expression, ZoneId zone) {
    String trimmed = expression.trim();
    int fields = trimmed.split("\\s+").length;
    CronParser parser =
        switch (fields) {
          case 5 -> UNIX;
          case 6, 7 -> QUARTZ;
          default ->
              throw new IllegalArgumentException(
                  "expected 5 fields (Unix: minute hour day-of-month month day-of-week) or 6-7"
                      + " fields (Quartz: second minute hour day-of-month month day-of-week"
                      + " [year]), got "
                      + fields);
        };
    return new CronSlots(parser.parse(trimmed).validate(), zone);
  }

  /** The first slot strictly after {@code after}, if the expression has one. */
  public Optional<Instant> nextAfter(Instant after) {
    // cron-utils keeps the sub-second part of the time it starts from; slots are whole seconds.
    Instant from = after.truncatedTo(ChronoUnit.SECONDS);
    return execution
        .nextExecution(ZonedDateTime.ofInstant(from, zone))
        .map(next -> Instant.from(next).truncatedTo(ChronoUnit.SECONDS));
  }
}
