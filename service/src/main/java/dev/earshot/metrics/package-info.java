/** The gateway's Prometheus metrics and {@code /observe/metrics}. */
package dev.earshot.metrics;
