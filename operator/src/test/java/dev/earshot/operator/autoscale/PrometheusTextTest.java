package dev.earshot.operator.autoscale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {

  private static final String METRIC = "earshot_sessions_active";

  @Test
  void readsAPlainSample() {
    assertEquals(OptionalDouble.of(42.0), PrometheusText.sum("earshot_sessions_active 42.0\n", METRIC));
  }

  @Test
  void skipsHelpAndTypeLinesAndReadsTheLabelledForm() {
    String body = """
        # HELP earshot_sessions_active Live WebSocket sessions
        # TYPE earshot_sessions_active gauge
        earshot_sessions_active{scope="application"} 42.0
        """;
    assertEquals(OptionalDouble.of(42.0), PrometheusText.sum(body, METRIC));
  }

  @Test
  void sumsSeriesAndIgnoresMetricsThatShareThePrefix() {
    String body = """
        earshot_sessions_active_max 150.0
        earshot_sessions_active{engine="riva",note="a } and \\" inside"} 10
        earshot_sessions_active{engine="embedded",} 5 1700000000000
        other_metric 99
        """;
    assertEquals(OptionalDouble.of(15.0), PrometheusText.sum(body, METRIC));
  }

  @Test
  void aMissingMetricIsEmpty() {
    assertTrue(PrometheusText.sum("# TYPE x gauge\nx 1\n", METRIC).isEmpty());
  }

  @Test
  void aGarbledValueIsAnError() {
    assertThrows(IllegalArgumentException.class,
        () -> PrometheusText.sum("earshot_sessions_active forty-two\n", METRIC));
  }

  @Test
  void windowsLineEndingsAreFine() {
    assertEquals(OptionalDouble.of(7.0),
        PrometheusText.sum("# TYPE earshot_sessions_active gauge\r\nearshot_sessions_active 7\r\n", METRIC));
  }
}
