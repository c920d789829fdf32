// AudioWorklet processor of the Earshot demo page: microphone audio -> 16 kHz 16-bit PCM frames.
//
// Why a worklet: it runs on the audio rendering thread, so capture never stalls while the page
// is busy (ScriptProcessorNode, its predecessor, ran on the main thread and is deprecated). It
// mixes to mono, low-pass filters and resamples to 16 kHz (resampler.js), converts to Int16 and
// posts one message per 100 ms frame (1600 samples, 3200 bytes: the size protocol v1 suggests),
// with the frame's RMS and peak for the level meter. The page sends {type: 'flush'} when the user
// stops; the processor then posts the short last frame and {type: 'flushed'}, and ends.

import { Resampler } from './resampler.js';

const OUTPUT_RATE = 16000;
const FRAME_SAMPLES = OUTPUT_RATE / 10;

class PcmWorkletProcessor extends AudioWorkletProcessor {
  constructor() {
    super();
    // sampleRate is the AudioContext's rate, a global of the worklet scope
    this.resampler = new Resampler(sampleRate, OUTPUT_RATE);
    this.mono = new Float32Array(128);
    this.frame = new Int16Array(FRAME_SAMPLES);
    this.filled = 0;
    this.sumSquares = 0;
    this.peak = 0;
    this.finished = false;
    this.port.onmessage = (event) => {
      if (event.data && event.data.type === 'flush') {
        this.flush();
      }
    };
  }

  process(inputs) {
    if (this.finished) {
      return false;
    }
    const channels = inputs[0];
    if (channels && channels.length > 0) {
      const length = channels[0].length;
      if (this.mono.length !== length) {
        this.mono = new Float32Array(length);
      }
      const mono = this.mono;
      mono.set(channels[0]);
      for (let c = 1; c < channels.length; c++) {
        const channel = channels[c];
        for (let i = 0; i < length; i++) {
          mono[i] += channel[i];
        }
      }
      if (channels.length > 1) {
        for (let i = 0; i < length; i++) {
          mono[i] /= channels.length;
        }
      }
      this.push(this.resampler.process(mono));
    }
    return true;
  }

  push(samples) {
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]));
      this.sumSquares += s * s;
      const magnitude = Math.abs(s);
      if (magnitude > this.peak) {
        this.peak = magnitude;
      }
      this.frame[this.filled++] = Math.round(s < 0 ? s * 0x8000 : s * 0x7fff);
      if (this.filled === FRAME_SAMPLES) {
        this.post();
      }
    }
  }

  post() {
    if (this.filled === 0) {
      return;
    }
    const pcm = this.frame.slice(0, this.filled);
    const rms = Math.sqrt(this.sumSquares / this.filled);
    this.port.postMessage({ type: 'frame', pcm: pcm.buffer, rms, peak: this.peak }, [pcm.buffer]);
    this.filled = 0;
    this.sumSquares = 0;
    this.peak = 0;
  }

  flush() {
    if (this.finished) {
      return;
    }
    this.push(this.resampler.flush());
    this.post();
    this.finished = true;
    this.port.postMessage({ type: 'flushed' });
  }
}

registerProcessor('earshot-pcm', PcmWorkletProcessor);
