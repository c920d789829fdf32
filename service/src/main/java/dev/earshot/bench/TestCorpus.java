package dev.earshot.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The shared speech corpus ({@code shared/audio}): 16 kHz mono WAV files and their reference
 * transcripts from {@code transcripts.tsv}. Used by the tests and the benchmarks.
 *
 * @param dir the corpus folder
 */
public record TestCorpus(Path dir) {

    /**
     * One recording.
     *
     * @param file       file name
     * @param seconds    length
     * @param transcript reference transcript (empty for silence and noise)
     */
    public record Clip(String file, double seconds, String transcript) {
    }

    /** The corpus at {@code -Dearshot.audio.dir}, else {@code ../shared/audio} from here or above. */
    public static TestCorpus locate() {
        String configured = System.getProperty("earshot.audio.dir");
        if (configured != null && Files.isDirectory(Path.of(configured))) {
            return new TestCorpus(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve("../shared/audio").normalize();
            if (Files.isRegularFile(candidate.resolve("transcripts.tsv"))) {
                return new TestCorpus(candidate);
            }
        }
        throw new IllegalStateException("shared/audio not found: set -Dearshot.audio.dir");
    }

    /** Every clip listed in transcripts.tsv. */
    public List<Clip> clips() throws IOException {
        List<Clip> clips = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve("transcripts.tsv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] cols = line.split("\t", -1);
            clips.add(new Clip(cols[0], Double.parseDouble(cols[1]), cols[2]));
        }
        return clips;
    }

    /** The short utterances (a_uttNN). */
    public List<Clip> utterances() throws IOException {
        return clips().stream().filter(c -> c.file().startsWith("a_utt")).toList();
    }

    public Clip clip(String file) throws IOException {
        return clips().stream().filter(c -> c.file().equals(file)).findFirst().orElseThrow();
    }

    /** The whole file, header included. */
    public byte[] wav(String file) throws IOException {
        return Files.readAllBytes(dir.resolve(file));
    }

    /** The samples of a plain 44-byte-header WAV file, as s16le bytes. */
    public byte[] pcm(String file) throws IOException {
        byte[] wav = wav(file);
        byte[] pcm = new byte[wav.length - 44];
        System.arraycopy(wav, 44, pcm, 0, pcm.length);
        return pcm;
    }
}
