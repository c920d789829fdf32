// Band-limited sample-rate conversion for the Earshot demo page.
//
// Why: speech recognizers want 16 kHz audio, but an AudioContext runs at the sound card's rate
// (usually 44.1 or 48 kHz). Keeping every third sample would fold everything between 8 and 24 kHz
// back into the speech band (aliasing: hiss and whistles the recognizer mistakes for phonemes).
// So every output sample is a windowed-sinc low-pass FIR (Kaiser window, about 80 dB stop band,
// cut-off 7.6 kHz for a 16 kHz output) evaluated at its exact input position. The conversion is
// rational polyphase: 48 kHz -> 16 kHz is 3:1 with one set of taps, 44.1 kHz -> 16 kHz is 441:160
// with 160 sets, all computed once. No allocation per call except the output view, so it is safe
// inside an AudioWorklet's process().

const ATTENUATION_DB = 80;

function gcd(a, b) {
  while (b) {
    [a, b] = [b, a % b];
  }
  return a;
}

/** Modified Bessel function of the first kind, order 0 (for the Kaiser window). */
function besselI0(x) {
  let sum = 1;
  let term = 1;
  for (let k = 1; k < 50; k++) {
    term *= (x / (2 * k)) * (x / (2 * k));
    sum += term;
    if (term < sum * 1e-12) {
      break;
    }
  }
  return sum;
}

function sinc(x) {
  return x === 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
}

export class Resampler {
  /**
   * @param {number} inRate  input sample rate (Hz, an integer)
   * @param {number} outRate output sample rate (Hz, an integer)
   * @param {{cutoffHz?: number, transitionHz?: number}} [options] the -6 dB point of the
   *        low-pass and the width of its transition band; both are narrowed to fit below the
   *        lower of the two Nyquist frequencies
   */
  constructor(inRate, outRate, options = {}) {
    inRate = Math.round(inRate);
    outRate = Math.round(outRate);
    const g = gcd(inRate, outRate);
    this.up = outRate / g;      // L: phases per input sample
    this.down = inRate / g;     // M: input step per output sample, in phases
    this.passThrough = inRate === outRate;
    const nyquist = Math.min(inRate, outRate) / 2;
    const cutoff = Math.min(options.cutoffHz ?? 7600, 0.95 * nyquist);
    const transition = Math.min(options.transitionHz ?? 1000, 2 * (nyquist - cutoff));
    // Kaiser's formula: length = (A - 8) / (2.285 * 2 pi * transition / rate)
    const lengthSeconds = (ATTENUATION_DB - 8) / (2.285 * 2 * Math.PI * transition);
    this.half = Math.max(2, Math.ceil(lengthSeconds * inRate / 2));
    this.taps = 2 * this.half;
    this.cutoff = cutoff;
    this.table = this.passThrough ? new Float32Array(0) : Resampler.design(this.up, this.half, cutoff / inRate);
    // input history: buffer index 0 holds the sample at absolute index `base`; the samples before
    // the first real one are zeros, so the first output needs no special case
    this.buffer = new Float32Array(4096 + this.taps);
    this.length = this.half - 1;
    this.base = -(this.half - 1);
    this.position = 0;          // absolute input index of the next output sample
    this.phase = 0;             // and its fraction, in 1/up steps
    this.inputCount = 0;
    this.outputCount = 0;
    this.out = new Float32Array(1024);
  }

  /** Taps for every phase: table[p * taps + j] weighs input (position - half + 1 + j). */
  static design(up, half, cutoffPerSample) {
    const taps = 2 * half;
    const table = new Float32Array(up * taps);
    const beta = 0.1102 * (ATTENUATION_DB - 8.7);
    const i0Beta = besselI0(beta);
    for (let p = 0; p < up; p++) {
      let sum = 0;
      for (let j = 0; j < taps; j++) {
        const t = p / up + half - 1 - j;       // distance from the output instant, in input samples
        const r = t / half;
        const window = Math.abs(r) >= 1 ? 0 : besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
        const h = 2 * cutoffPerSample * sinc(2 * cutoffPerSample * t) * window;
        table[p * taps + j] = h;
        sum += h;
      }
      for (let j = 0; j < taps; j++) {
        table[p * taps + j] /= sum;            // unity gain at DC for every phase
      }
    }
    return table;
  }

  /**
   * Converts the next block of input. Returns a view of the output so far that is valid until the
   * next call (copy it to keep it).
   * @param {Float32Array} input
   * @returns {Float32Array}
   */
  process(input) {
    if (this.passThrough) {
      return input.slice();
    }
    this.append(input);
    this.inputCount += input.length;
    return this.drain(this.inputCount);
  }

  /** The last outputs, which wait for input that will never come: the end is padded with zeros. */
  flush() {
    if (this.passThrough) {
      return new Float32Array(0);
    }
    const wanted = Math.ceil(this.inputCount * this.up / this.down);
    const missing = wanted - this.outputCount;
    if (missing <= 0) {
      return new Float32Array(0);
    }
    this.append(new Float32Array(this.half + 1));
    const out = this.drain(Infinity);
    return out.slice(0, missing);
  }

  append(input) {
    if (this.length + input.length > this.buffer.length) {
      const bigger = new Float32Array(2 * (this.length + input.length));
      bigger.set(this.buffer.subarray(0, this.length));
      this.buffer = bigger;
    }
    this.buffer.set(input, this.length);
    this.length += input.length;
  }

  /** Computes every output whose taps are all in the buffer (and below `limit` real inputs). */
  drain(limit) {
    const { up, down, taps, half, table, buffer } = this;
    const available = this.base + this.length;          // absolute index one past the last sample
    const most = Math.ceil((available - this.position + 1) * up / down) + 1;
    if (this.out.length < most) {
      this.out = new Float32Array(2 * most);
    }
    const out = this.out;
    let n = 0;
    let position = this.position;
    let phase = this.phase;
    while (position + half < available && position < limit) {
      const start = position - half + 1 - this.base;
      const offset = phase * taps;
      let acc = 0;
      for (let j = 0; j < taps; j++) {
        acc += buffer[start + j] * table[offset + j];
      }
      out[n++] = acc;
      phase += down;
      position += Math.floor(phase / up);
      phase %= up;
    }
    this.position = position;
    this.phase = phase;
    this.outputCount += n;
    const drop = position - half + 1 - this.base;         // samples no output needs any more
    if (drop > 0) {
      buffer.copyWithin(0, drop, this.length);
      this.length -= drop;
      this.base += drop;
    }
    return out.subarray(0, n);
  }
}
