package io.refinery.ops.reliability;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A Mosquitto broker of the suite's own (Debian's {@code mosquitto} binary) on a free port, with
 * persistence in a temporary directory, so the suite can restart it without touching the machine's
 * broker, and queues deep enough that a consumer that is down for a while loses nothing.
 */
final class OwnMosquitto implements AutoCloseable {

    private static final Path BINARY = Path.of("/usr/sbin/mosquitto");

    private final Path dir;
    private final int port;
    private Process process;

    private OwnMosquitto(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Empty when Mosquitto is not installed (then the MQTT part of a scenario is skipped and says so). */
    static Optional<OwnMosquitto> start(Path dir) throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            return Optional.empty();
        }
        OwnMosquitto broker = new OwnMosquitto(Files.createDirectories(dir), freePort());
        // Started as root, Mosquitto switches to its own user, which cannot write into our private scratch
        // directory: it then keeps no persistence file, and a restart silently loses every queued message
        // (seen: readings lost after a broker restart). So it stays the user that started it.
        String user = "root".equals(System.getProperty("user.name")) ? "user root\n" : "";
        Files.writeString(dir.resolve("mosquitto.conf"), """
                listener %d 127.0.0.1
                allow_anonymous true
                persistence true
                persistence_location %s/
                autosave_interval 1
                max_queued_messages 0
                max_inflight_messages 0
                %s""".formatted(broker.port, dir, user));
        broker.launch();
        return Optional.of(broker);
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    void launch() throws IOException, InterruptedException {
        process = new ProcessBuilder(BINARY.toString(), "-c", dir.resolve("mosquitto.conf").toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!reachable()) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                throw new IllegalStateException("mosquitto did not start: " + Files.readString(dir.resolve("mosquitto.log")));
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM (Mosquitto saves its persistent sessions and queued messages), then starts it again after the pause. */
    void restart(java.time.Duration down) throws IOException, InterruptedException {
        process.destroy();
        process.waitFor();
        Thread.sleep(down.toMillis());
        launch();
    }

    private boolean reachable() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            process.waitFor();
        }
    }
}
