package dev.earshot.testing;

import dev.earshot.audio.AudioFormat;
import dev.earshot.audio.AudioFormatException;
import dev.earshot.audio.WavHeader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The speech corpus the tests and the recognizer benchmark run on: the repository's
 * {@code samples/} folder (see its README), or another folder of the same layout. The 16 kHz
 * mono WAV files and their reference transcripts are listed in {@code transcripts.tsv}; the
 * telephone-band files (8 kHz mu-law) in {@code telephone.tsv}, so code that reads the first list
 * can keep taking every file in it as 16 kHz PCM.
 *
 * @param dir the corpus folder
 */
public record TestCorpus(Path dir) {
    /** The system property that points the tests at another corpus folder. */
    public static final String PROPERTY = "earshot.audio.dir";

    private static final String SAMPLES = "samples";
    private static final String TRANSCRIPTS = "transcripts.tsv";
    private static final String TELEPHONE = "telephone.tsv";

    /**
     * One recording.
     *
     * @param file       file name
     * @param seconds    length
     * @param transcript reference transcript (empty for silence and noise)
     */
    public record Clip(String file, double seconds, String transcript) {}

    /**
     * The corpus at {@code -Dearshot.audio.dir} when it is set (a relative path is taken from the
     * repository root, so {@code -Dearshot.audio.dir=more-audio} means the same from Maven's
     * command line and from a test's working directory), else the repository's {@code samples/}.
     *
     * @throws IllegalStateException when the configured folder has no {@code transcripts.tsv}
     */
    public static TestCorpus locate() {
        String configured = System.getProperty(PROPERTY, "");
        if (configured.isBlank()) {
            return samples();
        }
        Path dir = Path.of(configured);
        if (!dir.isAbsolute()) {
            dir = samples().dir().getParent().resolve(dir);
        }
        dir = dir.toAbsolutePath().normalize();
        if (!Files.isRegularFile(dir.resolve(TRANSCRIPTS))) {
            throw new IllegalStateException("-D" + PROPERTY + "=" + configured + ": no " + TRANSCRIPTS + " in " + dir);
        }
        return new TestCorpus(dir);
    }

    /**
     * The repository's own {@code samples/} folder, looked for in the working directory and each
     * folder above it (a module's tests run in the module's folder, the tools from anywhere in the
     * clone). Tests of files only this repository has (the telephone sample) read it here, whatever
     * {@code -Dearshot.audio.dir} says.
     */
    public static TestCorpus samples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path candidate = p.resolve(SAMPLES);
            if (Files.isRegularFile(candidate.resolve(TRANSCRIPTS))) {
                return new TestCorpus(candidate);
            }
        }
        throw new IllegalStateException("no " + SAMPLES + "/" + TRANSCRIPTS + " in "
                + Path.of("").toAbsolutePath() + " or any folder above it: run from inside the Earshot repository");
    }

    /** Every clip listed in transcripts.tsv: 16 kHz 16-bit mono PCM files. */
    public List<Clip> clips() throws IOException {
        return read(TRANSCRIPTS);
    }

    /** The short utterances (a_uttNN). */
    public List<Clip> utterances() throws IOException {
        return clips().stream().filter(c -> c.file().startsWith("a_utt")).toList();
    }

    /** The telephone-band clips listed in telephone.tsv (none when the folder has no such list). */
    public List<Clip> telephone() throws IOException {
        return Files.isRegularFile(dir.resolve(TELEPHONE)) ? read(TELEPHONE) : List.of();
    }

    /** A clip of either list, by file name. */
    public Clip clip(String file) throws IOException {
        List<Clip> all = new ArrayList<>(clips());
        all.addAll(telephone());
        return all.stream()
                .filter(c -> c.file().equals(file))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(file + " is not listed in " + dir));
    }

    /** The whole file, header included. */
    public byte[] wav(String file) throws IOException {
        return Files.readAllBytes(dir.resolve(file));
    }

    /**
     * The samples of a 16 kHz 16-bit mono PCM WAV file, as s16le bytes.
     *
     * @throws IllegalArgumentException when the file holds anything else (a telephone-band file:
     *                                  read those with {@link #wav})
     */
    public byte[] pcm(String file) throws IOException {
        byte[] wav = wav(file);
        WavHeader header;
        try {
            header = WavHeader.parse(wav);
        } catch (AudioFormatException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        if (!header.format().equals(AudioFormat.model())) {
            throw new IllegalArgumentException(file + " is " + header.format() + ", not 16 kHz 16-bit mono PCM");
        }
        byte[] pcm = new byte[wav.length - header.dataOffset()];
        System.arraycopy(wav, header.dataOffset(), pcm, 0, pcm.length);
        return pcm;
    }

    private List<Clip> read(String list) throws IOException {
        List<Clip> clips = new ArrayList<>();
        List<String> lines = Files.readAllLines(dir.resolve(list));
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] cols = line.split("\t", -1);
            clips.add(new Clip(cols[0], Double.parseDouble(cols[1]), cols[2]));
        }
        return clips;
    }
}
