/** Audio formats the embedded recognizer accepts: WAV headers, PCM, G.711, resampling to 16 kHz. */
package dev.earshot.audio;
