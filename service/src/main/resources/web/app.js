// The Earshot demo page: talk to the gateway that served it, or send it a WAV file, and watch
// the transcript arrive. The page's state is always one of idle, connecting, listening, sending,
// finishing or reconnecting (#app's data-state); every way a session ends (stopped, refused,
// error, lost connection, timeout) goes through App.end(), which releases the microphone and
// makes the page startable again, so no close can leave it stuck. A connection that drops while a
// session is live is resumed by protocol.js: the page shows "Reconnecting…" meanwhile (the
// microphone's audio is kept and sent once the session is back, a file waits), then goes on where
// it was; after the gateway's resume_grace_seconds it gives up and says so. A gateway that
// requires credentials gets an API key field (credentials.js); with auth.mode=none the page never
// shows it. Each connection, a resume's included, gets a fresh token for the key.

import { SAMPLE_RATE, TranscriptionSocket, transcribeUrl } from './protocol.js';
import { Microphone, decodeToPcm16, sendFile } from './audio.js';
import { credentialsRequired, sessionCredential } from './credentials.js';

/** What each protocol v1 error code means to the person at the page. */
const ERROR_WORDS = {
  capacity_exceeded: 'Server busy, try again in a moment.',
  overloaded: 'The server could not keep up with the live audio. Try again.',
  slow_consumer: 'This page stopped reading the transcript. Try again.',
  backend_unavailable: 'The speech recognizer is not reachable right now. Try again later.',
  idle_timeout: 'Stopped: no audio reached the server for a while.',
  session_timeout: 'Stopped: the session reached its maximum length.',
  message_too_large: 'The server refused a piece of audio as too large.',
  unauthorized: 'The server is not allowed to use its speech recognizer (check its credentials).',
  invalid_config: 'The server cannot use these settings',
  session_exists: 'A session with this id is already open.',
  resume_failed: 'The connection dropped and the session could not be taken up again. Press Start to try again.',
  internal: 'Something went wrong on the server. Try again.',
};

/** The longest wait for the last finals after Stop. */
const FINISH_TIMEOUT_MS = 30000;

function describeError(event) {
  const words = ERROR_WORDS[event.code];
  if (event.code === 'invalid_config') {
    return `${words}: ${event.message}`;
  }
  return words || `The server reported a problem (${event.code}): ${event.message}`;
}

/** Failures on this side of the socket, in plain words. */
function describeFailure(error) {
  switch (error && error.name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'Microphone access was blocked. Allow the microphone for this site in the browser, then try again.';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'No microphone was found.';
    case 'NotReadableError':
      return 'The microphone is in use by another program or cannot be opened.';
    case 'InsecureContextError':
      return 'The microphone only works on a secure page: open this page over https or on localhost.';
    case 'NotSupportedError':
      return 'This browser cannot process microphone audio here (it lacks AudioWorklet).';
    case 'EncodingError':
      return 'That file could not be read as audio. Choose a WAV file.';
    default:
      return `Something went wrong in the page: ${error && error.message ? error.message : error}`;
  }
}

function seconds(ms) {
  return (ms / 1000).toFixed(2);
}

/** The live interim line and the list of finals. */
class TranscriptView {
  constructor(interim, finals) {
    this.interimLine = interim;
    this.finals = finals;
  }

  clear() {
    this.interimLine.textContent = '';
    this.finals.replaceChildren();
  }

  /** One transcript event: an interim replaces the line, a final is appended to the list. */
  show(event, withWordTimes) {
    const alternative = event.alternatives && event.alternatives[0];
    if (!alternative) {
      return;
    }
    if (!event.is_final) {
      this.interimLine.textContent = alternative.transcript;
      return;
    }
    this.interimLine.textContent = '';
    const item = document.createElement('li');
    item.dataset.text = alternative.transcript;
    const words = withWordTimes ? alternative.words || [] : [];
    if (words.length === 0) {
      item.textContent = alternative.transcript;
    } else {
      // the transcript's own tokens (with punctuation) when they line up with the timed words
      const tokens = alternative.transcript.split(/\s+/).filter(Boolean);
      const labels = tokens.length === words.length ? tokens : words.map((w) => w.word);
      words.forEach((word, i) => {
        const span = document.createElement('span');
        span.className = 'word';
        span.tabIndex = 0;
        span.textContent = labels[i];
        const time = `${seconds(word.start_time_ms)}–${seconds(word.end_time_ms)} s`;
        span.title = time;
        span.dataset.time = time;
        item.append(span, i + 1 < words.length ? ' ' : '');
      });
    }
    this.finals.append(item);
    item.scrollIntoView({ block: 'nearest' });
  }
}

class App {
  constructor(doc) {
    const $ = (id) => doc.getElementById(id);
    this.root = $('app');
    this.toggle = $('toggle');
    this.language = $('language');
    this.wordTimes = $('word-times');
    this.meter = $('level');
    this.fileInput = $('file');
    this.progressBar = $('progress');
    this.status = $('state');
    this.errorLine = $('error');
    this.notice = $('notice');
    this.details = $('details');
    this.keyRow = $('key-row');
    this.keyInput = $('api-key');
    this.needsKey = credentialsRequired().then((required) => {
      this.keyRow.hidden = !required;
      return required;
    });
    this.view = new TranscriptView($('interim'), $('finals'));
    this.run = null;
    this.micSupported = window.isSecureContext && !!navigator.mediaDevices && typeof AudioWorkletNode !== 'undefined';
    if (!this.micSupported) {
      this.notice.textContent = window.isSecureContext
        ? 'This browser cannot capture microphone audio here; you can still transcribe a file.'
        : 'The microphone only works on a secure page (https, or http://localhost). You can still transcribe a file.';
      this.notice.hidden = false;
    }
    this.toggle.addEventListener('click', () => this.onToggle());
    this.fileInput.addEventListener('change', () => this.onFile());
    this.setState('idle', 'Ready. Press Start and speak, or choose a WAV file.');
  }

  onToggle() {
    const run = this.run;
    if (run) {
      if (run.stopping) {
        this.cancel(run);
      } else {
        this.stop(run);
      }
      return;
    }
    let mic;
    try {
      mic = new Microphone();          // now, inside the click: the autoplay policy needs it
    } catch (error) {
      this.showError(describeFailure(error));
      return;
    }
    this.begin({ kind: 'mic', mic, label: 'microphone' });
  }

  onFile() {
    const file = this.fileInput.files && this.fileInput.files[0];
    if (!file || this.run) {
      return;
    }
    this.fileInput.value = '';         // choosing the same file again starts again
    this.begin({ kind: 'file', file, label: file.name });
  }

  async begin(spec) {
    const run = {
      ...spec, socket: null, ended: false, stopping: false, error: null, summary: null, timer: 0,
      phase: null, reconnecting: false,
    };
    this.run = run;
    this.view.clear();
    this.showError(null);
    this.progress(0);
    this.details.textContent = '';
    this.show(run, 'connecting', run.kind === 'mic' ? 'Connecting…' : `Reading ${run.label}…`);
    const config = {
      language: this.language.value,
      encoding: 'LINEAR_PCM',
      sample_rate_hertz: SAMPLE_RATE,
      audio_channel_count: 1,
      enable_interim_results: true,
      enable_automatic_punctuation: true,
      enable_word_time_offsets: this.wordTimes.checked,
    };
    let credential;
    try {
      credential = (await this.needsKey) ? await sessionCredential(this.keyInput.value) : undefined;
    } catch (error) {
      run.error = error.message;
      this.end(run, null);
      return;
    }
    if (run.ended || run.stopping) {
      this.end(run, null);
      return;
    }
    const socket = new TranscriptionSocket(transcribeUrl(), {
      onStarted: (event) => this.addDetail(`session ${event.session_id}`),
      onTranscript: (event) => this.view.show(event, config.enable_word_time_offsets),
      onStopped: (event) => {
        run.summary = `Done: ${Number(event.audio_seconds).toFixed(1)} s of audio transcribed.`;
      },
      onError: (event) => {
        run.error = run.error || describeError(event);
        socket.close();                // every error ends the page's session
      },
      onGoingAway: () => {
        run.error = run.error || 'The server is shutting down. Press Start to connect again.';
      },
      onBackendRecovered: (event) => this.addDetail(
        `recognizer reconnected (${Number(event.replayed_seconds).toFixed(1)} s of audio heard again)`),
      onReconnecting: () => this.reconnecting(run),
      onResumed: (event) => this.resumed(run, event),
      onClose: (info) => this.end(run, info),
    }, credential, {
      renewCredential: async () => (credential ? sessionCredential(this.keyInput.value) : undefined),
    });
    run.socket = socket;
    socket.open(config);
    try {
      let pcm = null;
      if (run.kind === 'mic') {
        const rate = await run.mic.start(
          (frame) => socket.sendAudio(frame),
          (rms) => this.level(rms),
          () => {
            run.error = run.error || 'The microphone stopped (unplugged, or its permission was withdrawn).';
            this.stop(run);
          });
        this.addDetail(`microphone at ${rate / 1000} kHz, sent as 16 kHz 16-bit PCM`);
      } else {
        pcm = await decodeToPcm16(run.file);
        this.addDetail(`${run.label}: ${(pcm.length / SAMPLE_RATE).toFixed(1)} s, sent as 16 kHz 16-bit PCM`);
      }
      await socket.started;
      if (run.ended || run.stopping) {
        return;
      }
      if (run.kind === 'mic') {
        this.show(run, 'listening', 'Listening. Speak now, and press Stop when you are done.');
        return;
      }
      this.show(run, 'sending', `Sending ${run.label}…`);
      const complete = await sendFile(pcm, socket, {
        onProgress: (fraction) => this.progress(fraction),
        cancelled: () => run.ended || run.stopping,
      });
      if (complete) {
        this.stop(run);
      }
    } catch (error) {
      if (run.ended) {
        return;                        // the socket's close already explained it
      }
      if (!run.stopping) {
        run.error = run.error || describeFailure(error);
      }
      socket.close();
      this.end(run, null);
    }
  }

  /** End of audio: the last finals come, then the server closes. */
  async stop(run) {
    if (run.stopping || run.ended) {
      return;
    }
    run.stopping = true;
    this.show(run, 'finishing', 'Finishing: waiting for the last words…');
    run.timer = setTimeout(() => {
      run.error = run.error || 'The server did not finish in time.';
      this.cancel(run);
    }, FINISH_TIMEOUT_MS);
    if (run.mic) {
      await run.mic.stop();            // the last partial frame goes out first
    }
    if (!run.ended && (!run.socket || !run.socket.stop())) {
      this.cancel(run);                // nothing started yet: nothing to wait for
    }
  }

  /** The page's state for this run, shown unless the run is reconnecting (then shown once it is back). */
  show(run, state, words) {
    run.phase = { state, words };
    if (run.ended) {
      return;
    }
    if (run.reconnecting) {
      this.setState('reconnecting', 'Reconnecting…'); // the button may have become Cancel
    } else {
      this.setState(state, words);
    }
  }

  /** The connection dropped mid-session: protocol.js is taking the session up again. */
  reconnecting(run) {
    if (run.ended) {
      return;
    }
    run.reconnecting = true;
    this.level(0);
    this.setState('reconnecting', 'Reconnecting…');
  }

  /** The session is back on a new connection: the transcript goes on where it was. */
  resumed(run, event) {
    run.reconnecting = false;
    if (run.ended) {
      return;
    }
    const resent = Number(event.resent_bytes) / (2 * SAMPLE_RATE);
    this.addDetail(`connection lost and resumed (${resent.toFixed(1)} s of audio sent again)`);
    if (event.missing_bytes > 0) {
      this.addDetail(`${(event.missing_bytes / (2 * SAMPLE_RATE)).toFixed(1)} s of audio could not be sent again`);
    }
    if (run.phase) {
      this.setState(run.phase.state, run.phase.words);
    }
  }

  /** Gives up at once. */
  cancel(run) {
    run.summary = run.summary || 'Stopped.';
    if (run.socket) {
      run.socket.close();
    }
    this.end(run, null);
  }

  /** Every session ends here, exactly once. */
  end(run, close) {
    if (run.ended) {
      return;
    }
    run.ended = true;
    clearTimeout(run.timer);
    if (run.mic) {
      run.mic.release();
    }
    if (this.run === run) {
      this.run = null;
    }
    if (!run.error && close && close.resumeGaveUp) {
      run.error = `Lost the connection to the server and could not reconnect within ${close.resumeWindowMs / 1000} s. `
        + 'Press Start to begin a new session.';
    }
    if (!run.error && close && !close.stopped && !run.stopping) {
      run.error = close.opened
        ? `Lost the connection to the server (close code ${close.code}). Press Start to try again.`
        : 'Cannot reach the server. Check that Earshot is running, then try again.';
    }
    this.level(0);
    this.view.interimLine.textContent = '';
    this.setState('idle', run.error ? 'Stopped.' : run.summary || 'Stopped.');
    this.showError(run.error);
  }

  setState(state, words) {
    this.root.dataset.state = state;
    this.status.textContent = words;
    const idle = state === 'idle';
    const stopping = state === 'finishing' || (state === 'reconnecting' && this.run && this.run.stopping);
    this.toggle.textContent = idle ? 'Start' : stopping ? 'Cancel' : 'Stop';
    this.toggle.disabled = idle && !this.micSupported;
    this.toggle.classList.toggle('active', !idle);
    this.language.disabled = !idle;
    this.wordTimes.disabled = !idle;
    this.fileInput.disabled = !idle;
    this.keyInput.disabled = !idle;
  }

  showError(words) {
    this.errorLine.textContent = words || '';
    this.errorLine.hidden = !words;
  }

  addDetail(words) {
    this.details.textContent = this.details.textContent ? `${this.details.textContent} · ${words}` : words;
  }

  /** Shows a frame's RMS on a -60..0 dBFS scale. */
  level(rms) {
    const db = rms > 0 ? 20 * Math.log10(rms) : -60;
    const value = Math.max(0, Math.min(1, (db + 60) / 60));
    this.meter.value = value;
    this.meter.textContent = `${Math.round(value * 100)} %`;
  }

  progress(fraction) {
    const percent = Math.round(fraction * 100);
    this.progressBar.value = percent;
    this.progressBar.textContent = `${percent} %`;
  }
}

new App(document);
