// Earshot WebSocket protocol v1, browser side: the reference client for web developers.
//
// One TranscriptionSocket is one session: open() connects to /api/v1/transcribe and sends
// start_transcription; binary frames of 16 kHz 16-bit mono PCM follow; stop() asks for the last
// finals; the server answers transcription_stopped and closes with 1000. Errors arrive as an
// `error` event (with a `code`), usually followed by a close. When the recognizer behind the
// gateway fails, the gateway moves the session to a new recognition stream by itself and says so
// with `backend_recovered` (informational: the transcript simply goes on). Audio given before
// transcription_started is held and sent right after it, so the first words are not lost while
// the socket opens.
//
// A connection that drops (closed without a close frame, 1006, or with 1001 by something in
// between, after an error or not) while the session is live is resumed: every event but
// transcription_resumed carries `seq` (1, 2, 3… per session) and transcription_started carries the
// session's `resume_token`, so the socket reconnects to
// /api/v1/transcribe/{session_id}?resume_token=…&last_seq=N (with a fresh credential, when the
// gateway requires one), gets transcription_resumed {audio_received_bytes, last_seq} and the events
// after N, and sends its audio again from audio_received_bytes (SentAudio keeps what the server may
// lack). It tries for RESUME_WINDOW_MS (the gateway's default sessions.resume-grace) and then gives
// up: a browser is not told why a handshake failed, so a session that is gone (404) looks the same
// as a server that cannot be reached. Nothing here touches the page: the caller gets callbacks.

import { SentAudio } from './sent-audio.js';

/** The rate and format the demo page always sends (protocol defaults, stated explicitly). */
export const SAMPLE_RATE = 16000;

/** Frames held while waiting for transcription_started (10 s of 100 ms frames). */
const MAX_PENDING_FRAMES = 100;

/** The protocol v1 endpoint of the gateway that served this page (same origin: always allowed). */
export function transcribeUrl(location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/transcribe`;
}

/**
 * How long a dropped session is tried again when the gateway did not say (its transcription_started
 * carries resume_grace_seconds, its sessions.resume-grace): that setting's default, PT15S.
 */
export const RESUME_WINDOW_MS = 15000;

/** Waits between attempts to resume: at once, then longer, at most 2 s. */
const RESUME_DELAYS_MS = [0, 250, 500, 1000, 2000];

/** Close codes after which the session may still be waiting on the server for its client. */
const DROPPED = new Set([1001, 1006]);

export class TranscriptionSocket {
  /**
   * @param {string} url the protocol v1 endpoint
   * @param {object} handlers optional callbacks: onStarted(event), onTranscript(event),
   *        onStopped(event), onError(event), onGoingAway(event), onBackendRecovered(event) (event =
   *        {session_id, attempt, replayed_seconds}), onReconnecting({code}) when a dropped
   *        connection is being resumed, onResumed(event) (event = {session_id,
   *        audio_received_bytes, last_seq, resent_bytes, missing_bytes}) once it is, and
   *        onClose(info) with info = {code, reason, opened, stopped, error, resumeGaveUp,
   *        resumeWindowMs};
   *        onClose is called exactly once, when the session's last connection has closed
   * @param {string} [credential] an API key, token or JWT, for a gateway that requires one: sent as
   *        the subprotocol `bearer.<credential>` beside `earshot.v1` (browsers cannot set an
   *        Authorization header on a WebSocket); the server selects `earshot.v1`
   * @param {object} [options] renewCredential: an async function giving the credential for each
   *        resume (a short-lived token may have expired; default: the same credential), and
   *        resumeWindowMs (default: the gateway's resume_grace_seconds, else RESUME_WINDOW_MS)
   */
  constructor(url, handlers, credential, options = {}) {
    this.url = url;
    this.handlers = handlers;
    this.credential = credential;
    this.renewCredential = options.renewCredential || (async () => this.credential);
    this.resumeWindowMs = options.resumeWindowMs ?? RESUME_WINDOW_MS;
    this.resumeWindowGiven = options.resumeWindowMs !== undefined;
    this.ws = null;
    this.opened = false;
    this.isStarted = false;
    this.stopSent = false;
    this.stoppedEvent = null;
    this.errorEvent = null;
    this.goingAway = false;
    this.closing = false;            // close() was called: nothing is resumed after it
    this.finished = false;           // onClose has been called
    this.resuming = null;            // while a dropped connection is resumed: {deadline, attempt, code}
    this.processedSeconds = 0;
    this.sessionId = null;
    this.resumeToken = null;         // a secret: resumes this session after a dropped connection
    this.lastSeq = 0;                // the `seq` of the last event received
    this.pending = [];
    this.sent = new SentAudio();
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.started.catch(() => {});    // a caller that never awaits it is not an error
  }

  /** Connects and sends start_transcription with this config (every key optional). */
  open(config) {
    const ws = this.connect(this.url, this.credential);
    ws.onopen = () => {
      this.opened = true;
      ws.send(JSON.stringify({ type: 'start_transcription', config }));
    };
  }

  /** A WebSocket whose events come here for as long as it is the session's connection. */
  connect(url, credential) {
    const ws = credential
      ? new WebSocket(url, ['earshot.v1', `bearer.${credential}`])
      : new WebSocket(url);
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onmessage = (event) => {
      if (ws === this.ws && typeof event.data === 'string') {
        this.dispatch(event.data);
      }
    };
    ws.onerror = () => {};           // a close event always follows, with what there is to know
    ws.onclose = (event) => {
      if (ws === this.ws) {
        this.closed(event);
      }
    };
    return ws;
  }

  dispatch(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.seq === 'number') {
      if (message.seq <= this.lastSeq) {
        return;                      // seen before the connection dropped
      }
      this.lastSeq = message.seq;
    }
    switch (message.event) {
      case 'transcription_started':
        this.sessionId = message.session_id;
        this.resumeToken = message.resume_token || null;
        if (!this.resumeWindowGiven && typeof message.resume_grace_seconds === 'number') {
          this.resumeWindowMs = message.resume_grace_seconds * 1000;
        }
        this.isStarted = true;
        for (const frame of this.pending) {
          this.transmit(frame);
        }
        this.pending = [];
        this.resolveStarted(message);
        this.call('onStarted', message);
        break;
      case 'transcript':
        this.processedSeconds = Math.max(this.processedSeconds, message.audio_processed_seconds || 0);
        this.sent.heard(this.processedSeconds);
        this.call('onTranscript', message);
        break;
      case 'transcription_stopped':
        this.stoppedEvent = message;
        this.call('onStopped', message);
        break;
      case 'error':
        this.errorEvent = message;
        this.call('onError', message);
        break;
      case 'going_away':
        this.goingAway = true;         // the server is stopping: nothing to come back to
        this.call('onGoingAway', message);
        break;
      case 'backend_recovered':
        this.call('onBackendRecovered', message);
        break;
      case 'transcription_resumed':
        this.resumed(message);
        break;
      default:
        break;                      // events added by later protocol versions are ignored
    }
  }

  /** Sends one frame of audio (an ArrayBuffer of 16-bit PCM), or holds it until the start. */
  sendAudio(buffer) {
    if (this.finished || this.closing || this.stopSent || (!this.ws && !this.resuming)) {
      return;
    }
    if (!this.isStarted) {
      this.pending.push(buffer);
      if (this.pending.length > MAX_PENDING_FRAMES) {
        this.pending.shift();
      }
      return;
    }
    this.transmit(buffer);
  }

  /** A frame of the session's audio: kept until the server has surely received it, sent when connected. */
  transmit(buffer) {
    this.sent.add(buffer);
    if (!this.resuming && this.isOpen) {
      this.ws.send(buffer);
    }
  }

  /** Bytes queued in the browser, not yet on the network. */
  get bufferedAmount() {
    return this.ws ? this.ws.bufferedAmount : 0;
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN && !this.resuming;
  }

  /** Whether a dropped connection is being resumed (audio is kept meanwhile). */
  get isResuming() {
    return this.resuming !== null;
  }

  /** Whether the session is over: onClose has been called. */
  get isFinished() {
    return this.finished;
  }

  /**
   * End of audio: the server sends the remaining finals, transcription_stopped, and closes. While
   * a dropped connection is resumed, stop_transcription goes once the audio has been sent again.
   * @returns {boolean} false when there is no started session to stop
   */
  stop() {
    if (!this.isStarted || this.stopSent || this.finished || this.closing) {
      return false;
    }
    if (!this.isOpen && !this.resuming) {
      return false;
    }
    this.stopSent = true;
    if (this.isOpen) {
      this.ws.send(JSON.stringify({ type: 'stop_transcription' }));
    }
    return true;
  }

  /** Closes at once (normal closure); onClose follows. */
  close() {
    this.closing = true;
    if (this.resuming && (!this.ws || this.ws.readyState >= WebSocket.CLOSING)) {
      this.finish({ code: 1000, reason: 'client closed' });
      return;
    }
    if (this.ws && this.ws.readyState < WebSocket.CLOSING) {
      this.ws.close(1000, 'client closed');
    }
  }

  closed(event) {
    if (this.resuming && this.errorEvent === null && !this.closing) {
      this.nextAttempt();              // an attempt that failed: try again while the session may wait
      return;
    }
    if (this.mayResume(event.code)) {
      this.resume(event.code);
      return;
    }
    this.finish(event);
  }

  /** Whether the session may still be waiting for this client on the server. */
  mayResume(code) {
    return !this.resuming && DROPPED.has(code) && this.isStarted && this.resumeToken !== null
      && this.resumeWindowMs > 0 && this.stoppedEvent === null && this.errorEvent === null && !this.goingAway && !this.closing;
  }

  /** The connection dropped: reconnect with the resume token until the window closes. */
  resume(code) {
    this.ws = null;
    this.resuming = { deadline: Date.now() + this.resumeWindowMs, attempt: 0, code };
    this.call('onReconnecting', { code });
    this.nextAttempt();
  }

  nextAttempt() {
    const resuming = this.resuming;
    this.ws = null;
    if (this.closing) {
      this.finish({ code: 1000, reason: 'client closed' });
      return;
    }
    const delay = RESUME_DELAYS_MS[Math.min(resuming.attempt, RESUME_DELAYS_MS.length - 1)];
    if (Date.now() + delay >= resuming.deadline) {
      this.finish({ code: resuming.code, reason: 'not resumed', resumeGaveUp: true });
      return;
    }
    resuming.attempt += 1;
    setTimeout(() => this.attempt(resuming), delay);
  }

  async attempt(resuming) {
    if (this.resuming !== resuming || this.finished) {
      return;
    }
    if (this.closing) {
      this.finish({ code: 1000, reason: 'client closed' });
      return;
    }
    let credential;
    try {
      credential = await this.renewCredential();
    } catch {
      this.nextAttempt();              // the token endpoint cannot be reached either: try again
      return;
    }
    if (this.resuming !== resuming || this.finished) {
      return;
    }
    this.connect(this.resumeUrl(), credential);
  }

  /** The session's own endpoint, with what it needs to take the session back. */
  resumeUrl() {
    const base = this.url.split('?')[0].replace(/\/+$/, '');
    const id = encodeURIComponent(this.sessionId);
    const path = base.endsWith(`/${id}`) ? base : `${base}/${id}`;
    return `${path}?resume_token=${encodeURIComponent(this.resumeToken)}&last_seq=${this.lastSeq}`;
  }

  /** transcription_resumed: the events after last_seq follow; send the audio the server lacks. */
  resumed(message) {
    if (!this.resuming) {
      return;
    }
    this.resuming = null;
    const received = Number(message.audio_received_bytes) || 0;
    const { frames, missing } = this.sent.from(received);
    let resent = 0;
    for (const frame of frames) {
      this.ws.send(frame);
      resent += frame.byteLength;
    }
    if (this.stopSent) {
      this.ws.send(JSON.stringify({ type: 'stop_transcription' }));
    }
    this.call('onResumed', { ...message, resent_bytes: resent, missing_bytes: missing });
  }

  /** The session is over for this client: onClose, once. */
  finish(event) {
    if (this.finished) {
      return;
    }
    this.finished = true;
    this.resuming = null;
    this.rejectStarted(new Error(`closed before transcription_started (code ${event.code})`));
    this.call('onClose', {
      code: event.code,
      reason: event.reason,
      opened: this.opened,
      stopped: this.stoppedEvent !== null,
      error: this.errorEvent,
      resumeGaveUp: event.resumeGaveUp === true,
      resumeWindowMs: this.resumeWindowMs,
    });
  }

  call(name, argument) {
    const handler = this.handlers[name];
    if (handler) {
      handler(argument);
    }
  }
}
