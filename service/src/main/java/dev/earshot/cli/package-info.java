/** {@code earshot transcribe}: the reference command-line client of protocol v1. */
package dev.earshot.cli;
