// Audio for the Earshot demo page: the microphone (through pcm-worklet.js) and WAV files, both
// turned into 16 kHz 16-bit mono PCM in 100 ms frames, and the pacing of file uploads.

import { SAMPLE_RATE } from './protocol.js';

/** 100 ms of audio at 16 kHz. */
export const FRAME_SAMPLES = SAMPLE_RATE / 10;

/** How long stop() waits for the worklet's last frame. */
const FLUSH_TIMEOUT_MS = 1000;

/**
 * The microphone, captured with getUserMedia and converted in an AudioWorklet.
 *
 * Construct it inside the click handler: browsers only let an AudioContext run when it is
 * created or resumed in response to the user (autoplay policy).
 */
export class Microphone {
  constructor() {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      throw new DOMException('the microphone needs a secure page', 'InsecureContextError');
    }
    if (typeof AudioWorkletNode === 'undefined') {
      throw new DOMException('AudioWorklet is not available', 'NotSupportedError');
    }
    this.context = new AudioContext({ latencyHint: 'interactive' });
    this.stream = null;
    this.node = null;
    this.flushed = null;
    this.released = false;
  }

  /**
   * Asks for the microphone and starts converting.
   * @param {(pcm: ArrayBuffer) => void} onFrame every 100 ms frame of 16-bit PCM
   * @param {(rms: number, peak: number) => void} onLevel the frame's level, 0..1
   * @param {() => void} onEnded the microphone went away (unplugged, permission revoked)
   * @returns {Promise<number>} the capture rate the worklet converts from
   */
  async start(onFrame, onLevel, onEnded) {
    const resumed = this.context.resume();
    // the module loads before the microphone opens, so no audio is lost between the two
    await this.context.audioWorklet.addModule('pcm-worklet.js');
    // raw audio: echo cancellation, noise suppression and gain control are tuned for calls
    // and distort what a recognizer hears
    this.stream = await navigator.mediaDevices.getUserMedia({
      audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false, autoGainControl: false },
    });
    if (this.released) {                         // released while the permission prompt was open
      this.stopTracks();
      throw new DOMException('stopped', 'AbortError');
    }
    const source = this.context.createMediaStreamSource(this.stream);
    this.node = new AudioWorkletNode(this.context, 'earshot-pcm', {
      numberOfInputs: 1,
      numberOfOutputs: 1,
      outputChannelCount: [1],
      channelCount: 1,
      channelCountMode: 'explicit',
      channelInterpretation: 'speakers',
    });
    this.flushed = new Promise((resolve) => {
      this.node.port.onmessage = (event) => {
        const message = event.data;
        if (message.type === 'frame') {
          onFrame(message.pcm);
          onLevel(message.rms, message.peak);
        } else if (message.type === 'flushed') {
          resolve();
        }
      };
    });
    for (const track of this.stream.getAudioTracks()) {
      track.onended = onEnded;
    }
    source.connect(this.node);
    // the worklet writes silence; being connected to the destination keeps it pulled
    this.node.connect(this.context.destination);
    await resumed;
    return this.context.sampleRate;
  }

  /** Sends the last partial frame through onFrame, then releases everything. */
  async stop() {
    if (this.node && this.context.state === 'running') {
      this.node.port.postMessage({ type: 'flush' });
      await Promise.race([this.flushed, new Promise((resolve) => setTimeout(resolve, FLUSH_TIMEOUT_MS))]);
    }
    this.release();
  }

  /** Releases the microphone and the audio graph at once (safe to call more than once). */
  release() {
    this.released = true;
    this.stopTracks();
    if (this.node) {
      this.node.port.onmessage = null;
      this.node.disconnect();
      this.node = null;
    }
    if (this.context.state !== 'closed') {
      this.context.close().catch(() => {});
    }
  }

  stopTracks() {
    if (this.stream) {
      for (const track of this.stream.getTracks()) {
        track.onended = null;
        track.stop();
      }
    }
  }
}

/**
 * Decodes an audio file (WAV, or anything else the browser can decode) to 16 kHz 16-bit mono.
 * decodeAudioData resamples to its context's rate with a band-limited (sinc) resampler, so an
 * OfflineAudioContext at 16 kHz does the rate conversion properly; channels are averaged.
 * @param {Blob} file
 * @returns {Promise<Int16Array>}
 */
export async function decodeToPcm16(file) {
  const bytes = await file.arrayBuffer();
  const context = new OfflineAudioContext(1, 1, SAMPLE_RATE);
  const audio = await context.decodeAudioData(bytes);
  const channels = [];
  for (let c = 0; c < audio.numberOfChannels; c++) {
    channels.push(audio.getChannelData(c));
  }
  const pcm = new Int16Array(audio.length);
  for (let i = 0; i < pcm.length; i++) {
    let sum = 0;
    for (const channel of channels) {
      sum += channel[i];
    }
    const s = Math.max(-1, Math.min(1, sum / channels.length));
    pcm[i] = Math.round(s < 0 ? s * 0x8000 : s * 0x7fff);
  }
  return pcm;
}

/**
 * How a file goes up: as fast as the gateway takes it. When the recognizer is slower, the gateway
 * holds sessions.buffer-seconds of audio and then stops reading the socket; TCP holds the browser
 * back and its WebSocket buffer (bufferedAmount) grows. Sending waits while that buffer holds more
 * than maxBufferedBytes, so the page never queues the whole file in memory and its progress bar
 * follows what the gateway took. Nothing is paced and nothing is lost. While a dropped connection
 * is resumed (protocol.js) sending waits; the socket itself sends again what the gateway lacks.
 */
export const UPLOAD = { maxBufferedBytes: 64 * 1024 };

/**
 * Sends PCM in 100 ms frames through a started TranscriptionSocket, as fast as it is taken.
 * @param {Int16Array} pcm
 * @param {import('./protocol.js').TranscriptionSocket} socket
 * @param {{onProgress: (fraction: number) => void, cancelled: () => boolean}} options
 * @returns {Promise<boolean>} true when every frame was sent
 */
export async function sendFile(pcm, socket, { onProgress, cancelled }) {
  for (let offset = 0; offset < pcm.length; offset += FRAME_SAMPLES) {
    for (;;) {
      if (cancelled() || socket.isFinished) {
        return false;
      }
      // while a dropped connection is resumed the socket is not open: the file waits with it
      if (socket.isOpen && socket.bufferedAmount < UPLOAD.maxBufferedBytes) {
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const end = Math.min(pcm.length, offset + FRAME_SAMPLES);
    socket.sendAudio(pcm.slice(offset, end).buffer);
    onProgress(end / pcm.length);
  }
  return true;
}
