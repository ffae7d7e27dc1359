package io.refinery.warehouse.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Finds libchdb.so, fetching it once with {@code npm pack} into a cache outside the repository.
 * The package tarball's SHA-256 is pinned, so a changed or corrupted download is refused.
 */
public final class ChdbLibrary {

    public static final String PACKAGE = "@chdb/lib-linux-x64-gnu";
    public static final String VERSION = "26.5.3";
    static final String TARBALL = "chdb-lib-linux-x64-gnu-" + VERSION + ".tgz";
    static final String TARBALL_SHA256 = "b874e449710950da3abd7e20376f7bb3387d9e03adcc7082f022be18dfdf316a";

    private ChdbLibrary() {
    }

    /** The default cache: {@code $REFINERY_CACHE_DIR} or {@code ~/.cache/refinery}. */
    public static Path defaultCacheDir() {
        String configured = System.getenv("REFINERY_CACHE_DIR");
        return configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".cache", "refinery");
    }

    /** Returns the path of libchdb.so in {@code cacheDir}, installing it first if needed. */
    public static Path resolve(Path cacheDir) {
        Path dir = cacheDir.resolve("chdb").resolve(VERSION);
        Path library = dir.resolve("libchdb.so");
        if (Files.isRegularFile(library)) {
            return library;
        }
        try {
            Files.createDirectories(dir);
            try (FileChannel channel = FileChannel.open(dir.resolve(".install.lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock ignored = channel.lock()) {
                if (!Files.isRegularFile(library)) {
                    install(dir, library);
                }
            }
            return library;
        } catch (IOException e) {
            throw new IllegalStateException("cannot install libchdb into " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void install(Path dir, Path library) throws IOException {
        Path work = Files.createTempDirectory(dir, "download-");
        try {
            run(work, List.of("npm", "pack", PACKAGE + "@" + VERSION, "--silent"));
            Path tarball = work.resolve(TARBALL);
            String actual = sha256(tarball);
            if (!actual.equals(TARBALL_SHA256)) {
                throw new IOException("checksum mismatch for " + TARBALL + ": expected " + TARBALL_SHA256
                        + ", got " + actual);
            }
            run(work, List.of("tar", "-xzf", TARBALL, "package/libchdb.so"));
            Files.move(work.resolve("package/libchdb.so"), library, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            try (var files = Files.walk(work)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void run(Path dir, List<String> command) throws IOException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes());
        }
        try {
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", command));
        }
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = new DigestInputStream(Files.newInputStream(file),
                MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
