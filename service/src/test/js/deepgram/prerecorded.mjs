// Transcribes a WAV file through Deepgram's own SDK (listen.v1.media.transcribeFile) against an
// Earshot gateway and prints the response, or the error, as one JSON line, for DeepgramSdkTest.
// Usage: node prerecorded.mjs BASE_URL FILE.wav [MODEL]
import { createReadStream } from "node:fs";
import { DeepgramClient } from "@deepgram/sdk";

const [baseUrl, wavPath, model] = process.argv.slice(2);
const client = new DeepgramClient({ apiKey: process.env.DEEPGRAM_API_KEY ?? "earshot", baseUrl });
try {
  const response = await client.listen.v1.media.transcribeFile(createReadStream(wavPath), {
    model: model ?? "nova-3",
    punctuate: true,
    utterances: true,
  });
  process.stdout.write(JSON.stringify({ ok: true, response }) + "\n");
} catch (e) {
  process.stdout.write(JSON.stringify({ ok: false, status: e.statusCode, body: e.body, message: e.message }) + "\n");
}
