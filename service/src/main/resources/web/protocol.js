// Earshot WebSocket protocol v1, browser side: the reference client for web developers.
//
// One TranscriptionSocket is one session: open() connects to /api/v1/transcribe and sends
// start_transcription; binary frames of 16 kHz 16-bit mono PCM follow; stop() asks for the last
// finals; the server answers transcription_stopped and closes with 1000. Errors arrive as an
// `error` event (with a `code`), usually followed by a close. When the recognizer behind the
// gateway fails, the gateway moves the session to a new recognition stream by itself and says so
// with `backend_recovered` (informational: the transcript simply goes on). Audio given before
// transcription_started is held and sent right after it, so the first words are not lost while
// the socket opens. Every event but transcription_resumed carries `seq` (1, 2, 3… per session);
// transcription_started carries the session's `resume_token`: with both, a client whose socket
// dropped can reconnect to /api/v1/transcribe/{session_id}?resume_token=…&last_seq=N, get
// transcription_resumed {audio_received_bytes, last_seq} and the events it missed, and send its
// audio again from audio_received_bytes (kept here as sessionId, resumeToken and lastSeq; this
// class does not reconnect by itself yet). Nothing here touches the page: the caller gets callbacks.

/** The rate and format the demo page always sends (protocol defaults, stated explicitly). */
export const SAMPLE_RATE = 16000;

/** Frames held while waiting for transcription_started (10 s of 100 ms frames). */
const MAX_PENDING_FRAMES = 100;

/** The protocol v1 endpoint of the gateway that served this page (same origin: always allowed). */
export function transcribeUrl(location = window.location) {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/transcribe`;
}

export class TranscriptionSocket {
  /**
   * @param {string} url the protocol v1 endpoint
   * @param {object} handlers optional callbacks: onStarted(event), onTranscript(event),
   *        onStopped(event), onError(event), onGoingAway(event), onBackendRecovered(event) (event =
   *        {session_id, attempt, replayed_seconds}), onResumed(event) (event = {session_id,
   *        audio_received_bytes, last_seq}), and onClose(info) with info =
   *        {code, reason, opened, stopped, error}; onClose is called exactly once
   * @param {string} [credential] an API key, token or JWT, for a gateway that requires one: sent as
   *        the subprotocol `bearer.<credential>` beside `earshot.v1` (browsers cannot set an
   *        Authorization header on a WebSocket); the server selects `earshot.v1`
   */
  constructor(url, handlers, credential) {
    this.url = url;
    this.handlers = handlers;
    this.credential = credential;
    this.ws = null;
    this.opened = false;
    this.isStarted = false;
    this.stopSent = false;
    this.stoppedEvent = null;
    this.errorEvent = null;
    this.processedSeconds = 0;
    this.sessionId = null;
    this.resumeToken = null;         // a secret: resumes this session after a dropped connection
    this.lastSeq = 0;                // the `seq` of the last event received
    this.pending = [];
    this.started = new Promise((resolve, reject) => {
      this.resolveStarted = resolve;
      this.rejectStarted = reject;
    });
    this.started.catch(() => {});    // a caller that never awaits it is not an error
  }

  /** Connects and sends start_transcription with this config (every key optional). */
  open(config) {
    const ws = this.credential
      ? new WebSocket(this.url, ['earshot.v1', `bearer.${this.credential}`])
      : new WebSocket(this.url);
    this.ws = ws;
    ws.binaryType = 'arraybuffer';
    ws.onopen = () => {
      this.opened = true;
      ws.send(JSON.stringify({ type: 'start_transcription', config }));
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') {
        this.dispatch(event.data);
      }
    };
    ws.onerror = () => {};           // a close event always follows, with what there is to know
    ws.onclose = (event) => this.closed(event);
  }

  dispatch(text) {
    let message;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message.seq === 'number') {
      this.lastSeq = message.seq;
    }
    switch (message.event) {
      case 'transcription_started':
        this.sessionId = message.session_id;
        this.resumeToken = message.resume_token || null;
        this.isStarted = true;
        for (const frame of this.pending) {
          this.ws.send(frame);
        }
        this.pending = [];
        this.resolveStarted(message);
        this.call('onStarted', message);
        break;
      case 'transcript':
        this.processedSeconds = Math.max(this.processedSeconds, message.audio_processed_seconds || 0);
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
        this.call('onGoingAway', message);
        break;
      case 'backend_recovered':
        this.call('onBackendRecovered', message);
        break;
      case 'transcription_resumed':
        this.call('onResumed', message);
        break;
      default:
        break;                      // events added by later protocol versions are ignored
    }
  }

  /** Sends one frame of audio (an ArrayBuffer of 16-bit PCM), or holds it until the start. */
  sendAudio(buffer) {
    if (!this.ws || this.ws.readyState > WebSocket.OPEN || this.stopSent) {
      return;
    }
    if (!this.isStarted) {
      this.pending.push(buffer);
      if (this.pending.length > MAX_PENDING_FRAMES) {
        this.pending.shift();
      }
      return;
    }
    this.ws.send(buffer);
  }

  /** Bytes queued in the browser, not yet on the network. */
  get bufferedAmount() {
    return this.ws ? this.ws.bufferedAmount : 0;
  }

  get isOpen() {
    return this.ws !== null && this.ws.readyState === WebSocket.OPEN;
  }

  /**
   * End of audio: the server sends the remaining finals, transcription_stopped, and closes.
   * @returns {boolean} false when there is no started session to stop
   */
  stop() {
    if (!this.isStarted || this.stopSent || !this.isOpen) {
      return false;
    }
    this.stopSent = true;
    this.ws.send(JSON.stringify({ type: 'stop_transcription' }));
    return true;
  }

  /** Closes at once (normal closure); onClose follows. */
  close() {
    if (this.ws && this.ws.readyState < WebSocket.CLOSING) {
      this.ws.close(1000, 'client closed');
    }
  }

  closed(event) {
    this.rejectStarted(new Error(`closed before transcription_started (code ${event.code})`));
    this.call('onClose', {
      code: event.code,
      reason: event.reason,
      opened: this.opened,
      stopped: this.stoppedEvent !== null,
      error: this.errorEvent,
    });
  }

  call(name, argument) {
    const handler = this.handlers[name];
    if (handler) {
      handler(argument);
    }
  }
}
