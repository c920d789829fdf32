// Streams a WAV file through Deepgram's own SDK (listen.v1 live client) to an Earshot gateway at
// real-time pace, then 1.5 s of silence, and prints every message and the close as one JSON line each, for
// DeepgramSdkTest to check. Usage: node live.mjs BASE_URL FILE.wav [finalize]
// "finalize": after the first half of the audio, the SDK's sendFinalize() and sendKeepAlive().
import { readFileSync } from "node:fs";
import { DeepgramClient } from "@deepgram/sdk";

const [baseUrl, wavPath, mode] = process.argv.slice(2);
const print = (o) => process.stdout.write(JSON.stringify(o) + "\n");

const wav = readFileSync(wavPath);
const data = wav.indexOf("data", 12, "ascii");
const pcm = wav.subarray(data + 8);
const chunk = 3200; // 100 ms of 16 kHz 16-bit mono

const client = new DeepgramClient({ apiKey: process.env.DEEPGRAM_API_KEY ?? "earshot", baseUrl });
const socket = await client.listen.v1.connect({
  model: "nova-3",
  language: "en",
  encoding: "linear16",
  sample_rate: 16000,
  channels: 1,
  interim_results: "true",
  punctuate: "true",
  utterance_end_ms: 1000,
  vad_events: "true",
  reconnectAttempts: 0,
});
const closed = new Promise((resolve) => {
  socket.on("close", (e) => {
    print({ event: "close", code: e.code, reason: e.reason });
    resolve();
  });
});
socket.on("message", (m) => print({ event: "message", data: m }));
socket.on("error", (e) => print({ event: "error", message: String(e?.message ?? e) }));
socket.connect();
await socket.waitForOpen();
print({ event: "open" });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const started = Date.now();
for (let i = 0, n = 0; i < pcm.length; i += chunk, n++) {
  socket.sendMedia(pcm.subarray(i, Math.min(i + chunk, pcm.length)));
  if (mode === "finalize" && i < pcm.length / 2 && i + chunk >= pcm.length / 2) {
    socket.sendFinalize({ type: "Finalize" });
    socket.sendKeepAlive({ type: "KeepAlive" });
    print({ event: "sent", type: "Finalize" });
  }
  const due = started + (n + 1) * 100;
  await sleep(Math.max(0, due - Date.now()));
}
// then 1.5 s of silence, as a microphone goes on after the speaker stops
for (let n = 0; n < 15; n++) {
  socket.sendMedia(Buffer.alloc(chunk));
  await sleep(100);
}
socket.sendCloseStream({ type: "CloseStream" });
print({ event: "sent", type: "CloseStream" });
await Promise.race([closed, sleep(30000)]);
process.exit(0);
