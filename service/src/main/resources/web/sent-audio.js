// The audio a TranscriptionSocket has sent and the server may not have, kept for a resume.
//
// After a dropped connection the server says, in transcription_resumed, how much of the session's
// audio it received (audio_received_bytes); the client sends the rest again. What the server
// received is not acknowledged as such: the closest thing a client sees is a transcript's
// audio_processed_seconds, audio the recognizer has already heard, which the server has therefore
// received. So the page keeps every frame from a little before that point (a margin for rounding),
// drops what falls further behind, and never keeps more than a bound: the server holds at most
// sessions.buffer-seconds of audio its recognizer has not taken (10 s by default), plus what is in
// flight, so a minute is ample; past the bound the oldest audio goes and a resume from before it
// reports the gap rather than sending wrong audio.

/** 16 kHz 16-bit mono: what the demo page always sends. */
export const BYTES_PER_SECOND = 32000;

/** Audio kept behind what the recognizer is known to have heard (1 s). */
const MARGIN_BYTES = BYTES_PER_SECOND;

/** The most audio kept (60 s, 1.9 MB). */
export const MAX_KEPT_BYTES = 60 * BYTES_PER_SECOND;

export class SentAudio {
  constructor(maxBytes = MAX_KEPT_BYTES) {
    this.maxBytes = maxBytes;
    this.frames = [];          // {start, buffer}: byte offsets in the session's audio
    this.total = 0;            // bytes of audio the session has been sent, or is to be sent
    this.keptBytes = 0;
  }

  /** The first byte still kept (equal to total when nothing is). */
  get keptFrom() {
    return this.frames.length > 0 ? this.frames[0].start : this.total;
  }

  /** One frame (an ArrayBuffer) the session sends: it follows the ones before. */
  add(buffer) {
    this.frames.push({ start: this.total, buffer });
    this.total += buffer.byteLength;
    this.keptBytes += buffer.byteLength;
    while (this.keptBytes > this.maxBytes && this.frames.length > 1) {
      this.dropOldest();
    }
  }

  /** The recognizer has heard `seconds` of the session's audio: what lies well before can go. */
  heard(seconds) {
    const upTo = Math.floor(seconds * BYTES_PER_SECOND) - MARGIN_BYTES;
    while (this.frames.length > 0 && this.frames[0].start + this.frames[0].buffer.byteLength <= upTo) {
      this.dropOldest();
    }
  }

  /**
   * The audio from byte `offset` on, in frames to send again; `missing` is how many bytes from
   * `offset` on are no longer kept (0 unless more than the bound was outstanding).
   */
  from(offset) {
    const missing = Math.max(0, Math.min(this.total, this.keptFrom) - offset);
    const frames = [];
    for (const { start, buffer } of this.frames) {
      const end = start + buffer.byteLength;
      if (end <= offset) {
        continue;
      }
      frames.push(start >= offset ? buffer : buffer.slice(offset - start));
    }
    return { frames, missing };
  }

  dropOldest() {
    const oldest = this.frames.shift();
    this.keptBytes -= oldest.buffer.byteLength;
  }
}
