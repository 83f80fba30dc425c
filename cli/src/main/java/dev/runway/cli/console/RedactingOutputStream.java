package dev.runway.cli.console;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Replaces secrets (the bearer token) by {@code ****} in everything written, whoever writes it
 * (our commands, picocli's error messages, the validator): the token must never reach a terminal
 * or a CI log. Bytes are held until a line ends or the stream is flushed, so a secret is never
 * split between two writes.
 */
public final class RedactingOutputStream extends OutputStream {

    public static final String MASK = "****";

    private final OutputStream target;
    private final List<String> secrets;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    public RedactingOutputStream(OutputStream target, List<String> secrets) {
        this.target = target;
        this.secrets = secrets.stream().filter(s -> s != null && s.length() >= 4).toList();
    }

    @Override
    public synchronized void write(int b) throws IOException {
        pending.write(b);
        if (b == '\n' || b == '\r') {
            drain();
        }
    }

    @Override
    public synchronized void write(byte[] b, int off, int len) throws IOException {
        for (int i = off; i < off + len; i++) {
            write(b[i]);
        }
    }

    @Override
    public synchronized void flush() throws IOException {
        drain();
        target.flush();
    }

    @Override
    public void close() throws IOException {
        flush();
    }

    private void drain() throws IOException {
        if (pending.size() == 0) {
            return;
        }
        String text = pending.toString(StandardCharsets.UTF_8);
        pending.reset();
        target.write(redact(text, secrets).getBytes(StandardCharsets.UTF_8));
    }

    public static String redact(String text, List<String> secrets) {
        String result = text;
        for (String secret : secrets) {
            if (secret != null && secret.length() >= 4) {
                result = result.replace(secret, MASK);
            }
        }
        return result;
    }
}
