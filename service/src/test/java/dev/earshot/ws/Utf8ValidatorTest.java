package dev.earshot.ws;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Utf8ValidatorTest {
    /** The JDK's strict decoder: the reference for what UTF-8 is. */
    static boolean jdkValid(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /** Fed whole, and split at every byte into two pieces: the answer must not depend on the split. */
    static void assertJudged(boolean valid, byte[] bytes) {
        String hex = HexFormat.ofDelimiter(" ").formatHex(bytes);
        assertEquals(valid, Utf8Validator.isValid(bytes, 0, bytes.length), hex);
        for (int cut = 0; cut <= bytes.length; cut++) {
            Utf8Validator v = new Utf8Validator();
            boolean ok = v.feed(bytes, 0, cut) && v.feed(bytes, cut, bytes.length - cut) && v.complete();
            assertEquals(valid, ok, hex + " cut at " + cut);
        }
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "7b 7d", // {}
                "c2 80", // U+0080
                "df bf", // U+07FF
                "e0 a0 80", // U+0800
                "e2 82 ac", // €
                "ed 9f bf", // U+D7FF, the last before the surrogates
                "ee 80 80", // U+E000, the first after them
                "ef bf bf", // U+FFFF
                "f0 90 80 80", // U+10000
                "f4 8f bf bf", // U+10FFFF, the last code point
                "ce ba e1 bd b9 cf 83 ce bc ce b5" // κόσμε
            })
    void utf8TextIsValidHoweverItIsSplit(String hex) {
        assertJudged(true, HexFormat.ofDelimiter(" ").parseHex(hex));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "80", // a continuation byte alone
                "bf",
                "c0 af", // overlong '/'
                "c1 bf",
                "e0 80 af", // overlong
                "e0 9f bf",
                "f0 80 80 af", // overlong
                "f0 8f bf bf",
                "ed a0 80", // U+D800, a surrogate
                "ed bf bf", // U+DFFF
                "f4 90 80 80", // U+110000, past the last code point
                "f5 80 80 80",
                "ff",
                "fe",
                "c3", // cut short
                "e2 82",
                "f0 90 80",
                "c3 28", // a lead byte without its continuation
                "e2 28 a1",
                "7b e2 82 ac 80 7d" // € followed by a stray continuation
            })
    void malformedUtf8IsInvalidHoweverItIsSplit(String hex) {
        assertJudged(false, HexFormat.ofDelimiter(" ").parseHex(hex));
    }

    @Test
    void randomBytesAreJudgedAsTheJdkJudgesThem() {
        Random random = new Random(6455);
        int valid = 0;
        for (int i = 0; i < 200_000; i++) {
            byte[] bytes = new byte[1 + random.nextInt(6)];
            for (int j = 0; j < bytes.length; j++) { // weighted to lead and continuation bytes
                bytes[j] = (byte) (random.nextBoolean() ? 0x80 + random.nextInt(0x80) : random.nextInt(0x100));
            }
            boolean expected = jdkValid(bytes);
            valid += expected ? 1 : 0;
            assertEquals(
                    expected,
                    Utf8Validator.isValid(bytes, 0, bytes.length),
                    HexFormat.ofDelimiter(" ").formatHex(bytes));
        }
        assertTrue(valid > 1000, "the sample holds valid text too: " + valid);
    }

    @Test
    void onceRejectedItStaysRejectedUntilReset() {
        Utf8Validator v = new Utf8Validator();
        assertFalse(v.feed(new byte[] {(byte) 0xC0}, 0, 1));
        assertFalse(v.feed(new byte[] {'a'}, 0, 1), "more text does not make it valid");
        v.reset();
        assertTrue(v.feed(new byte[] {'a'}, 0, 1));
        assertTrue(v.complete());
    }
}
