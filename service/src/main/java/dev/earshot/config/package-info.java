/**
 * Where Earshot's configuration comes from: system properties, environment variables and the
 * bundled {@code application.yaml}, in that order of precedence, with one naming rule for
 * environment variables that every key in the README follows.
 */
package dev.earshot.config;
