package dev.earshot.operator.observe;

import java.util.concurrent.atomic.LongAdder;

/**
 * The operator's own counters, rendered in Prometheus text format on {@code /metrics}: enough to
 * alert on a reconcile loop that keeps failing or an autoscaler that cannot see its pods.
 */
public final class OperatorMetrics {

  private final LongAdder reconcileSuccess = new LongAdder();
  private final LongAdder reconcileFailure = new LongAdder();
  private final LongAdder invalidSpec = new LongAdder();
  private final LongAdder polls = new LongAdder();
  private final LongAdder scrapeFailures = new LongAdder();
  private final LongAdder scaleUps = new LongAdder();
  private final LongAdder scaleDowns = new LongAdder();

  public void reconcileSucceeded() {
    reconcileSuccess.increment();
  }

  public void reconcileFailed() {
    reconcileFailure.increment();
  }

  public void invalidSpec() {
    invalidSpec.increment();
  }

  public void polled() {
    polls.increment();
  }

  public void scrapeFailed() {
    scrapeFailures.increment();
  }

  public void rescaled(int from, int to) {
    if (to > from) {
      scaleUps.increment();
    } else if (to < from) {
      scaleDowns.increment();
    }
  }

  public long scrapeFailures() {
    return scrapeFailures.sum();
  }

  public long rescales() {
    return scaleUps.sum() + scaleDowns.sum();
  }

  public long reconciles() {
    return reconcileSuccess.sum() + reconcileFailure.sum() + invalidSpec.sum();
  }

  /** All counters in Prometheus text exposition format 0.0.4. */
  public String render() {
    StringBuilder out = new StringBuilder();
    counter(out, "earshot_operator_reconciles_total", "SpeechService reconciles by result",
        "result=\"success\"", reconcileSuccess.sum(),
        "result=\"error\"", reconcileFailure.sum(),
        "result=\"invalid_spec\"", invalidSpec.sum());
    counter(out, "earshot_operator_autoscaler_polls_total", "Autoscaler polls of a SpeechService",
        null, polls.sum());
    counter(out, "earshot_operator_scrape_failures_total", "Pod metric reads that failed",
        null, scrapeFailures.sum());
    counter(out, "earshot_operator_rescales_total", "Replica count changes by direction",
        "direction=\"up\"", scaleUps.sum(), "direction=\"down\"", scaleDowns.sum());
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, Object... labelValues) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(name).append(" counter\n");
    for (int i = 0; i < labelValues.length; i += 2) {
      out.append(name);
      if (labelValues[i] != null) {
        out.append('{').append(labelValues[i]).append('}');
      }
      out.append(' ').append(labelValues[i + 1]).append('\n');
    }
  }
}
