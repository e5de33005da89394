package io.freehold.agent.guest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.freehold.agent.guest.GuestFailure.Code;
import io.freehold.agent.v1.ConsoleTail;

class ConsoleLogTest {

    private static final String ID = "i-console-1";

    @TempDir
    Path storage;

    @ParameterizedTest(name = "a log of {0} bytes, {1} asked for -> the last {2}, truncated: {3}")
    @CsvSource({
            "0,       100,     0,     false",
            "10,      100,     10,    false",
            "100,     100,     100,   false",
            "101,     100,     100,   true",
            "100,     1,       1,     true",
            "20000,   0,       16384, true",
            "20000,   -5,      16384, true",
            "16384,   0,       16384, false",
            "100000,  1000000, 65536, true",
            "65536,   2147483647, 65536, false",
    })
    void readsAtMostWhatWasAskedForCappedAndDefaultedFromTheEnd(int size, int asked, int expected, boolean truncated) throws Exception {
        byte[] log = new byte[size];
        for (int i = 0; i < size; i++) {
            log[i] = (byte) ('a' + i % 26);
        }
        Files.createDirectories(storage.resolve(ID));
        Files.write(storage.resolve(ID).resolve(Guests.CONSOLE_LOG_FILE), log);

        ConsoleTail tail = ConsoleLog.tail(storage, ID, asked);

        assertThat(tail.getData().toByteArray()).isEqualTo(Arrays.copyOfRange(log, size - expected, size));
        assertThat(tail.getTruncated()).isEqualTo(truncated);
    }

    @Test
    void aGuestWhoseConsoleWroteNothingYetHasAnEmptyTail() throws Exception {
        Files.createDirectories(storage.resolve(ID));

        ConsoleTail tail = ConsoleLog.tail(storage, ID, 100);

        assertThat(tail.getData().isEmpty()).isTrue();
        assertThat(tail.getTruncated()).isFalse();
    }

    @Test
    void anInstanceWithoutADirectoryHereIsNoSuchDomain() {
        GuestFailure failure = catchThrowableOfType(() -> ConsoleLog.tail(storage, ID, 100), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.NO_SUCH_DOMAIN);
        assertThat(failure.reason()).contains(ID).contains("has no directory");
    }

    @Test
    void aLinkInPlaceOfTheLogIsNotFollowed() throws Exception {
        Files.createDirectories(storage.resolve(ID));
        Path secret = Files.writeString(storage.resolve("secret"), "not the console");
        Files.createSymbolicLink(storage.resolve(ID).resolve(Guests.CONSOLE_LOG_FILE), secret);

        GuestFailure failure = catchThrowableOfType(() -> ConsoleLog.tail(storage, ID, 100), GuestFailure.class);

        assertThat(failure.code()).isEqualTo(Code.STORAGE);
    }
}
