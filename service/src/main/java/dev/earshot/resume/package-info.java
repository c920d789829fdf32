/**
 * Resuming a protocol v1 session after its socket dropped: the secret a client proves it owns the
 * session with ({@link dev.earshot.resume.ResumeToken}) and the bounded log of numbered events it
 * may have missed ({@link dev.earshot.resume.EventLog}). The session side (detaching, the grace
 * period, re-attaching a connection) is {@code dev.earshot.session.ResumableSocket}'s; this package
 * depends on nothing else of Earshot's.
 */
package dev.earshot.resume;
