/**
 * Riva: step three of the data path, and everything that speaks Riva's gRPC API.
 * {@link dev.earshot.riva.RivaClient} is the one channel (network or in-process),
 * {@link dev.earshot.riva.RivaStream} one {@code StreamingRecognize} call,
 * {@link dev.earshot.riva.RivaRequests} builds what Riva is asked,
 * {@link dev.earshot.riva.RivaErrors} says what its failures mean to a client and which are worth
 * a new stream, and {@link dev.earshot.riva.RetryPolicy} how often and how soon.
 */
package dev.earshot.riva;
