package io.refinery.warehouse.embedded;

import com.clickhouse.data.ClickHouseCityHash;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * ClickHouse's HTTP compression ({@code compress=1} for responses, {@code decompress=1} for request
 * bodies): a sequence of blocks, each {@code checksum(16) | method(1) | compressed size(4) |
 * uncompressed size(4) | data}, where the checksum is CityHash128 of everything after it and the
 * sizes are little-endian, the compressed size counting the 9 header bytes. Only LZ4 (0x82) is used.
 */
final class NativeCompression {

    private static final int LZ4 = 0x82;
    private static final int NONE = 0x02;
    private static final int HEADER = 9;
    private static final int BLOCK = 1 << 20;
    private static final LZ4Factory FACTORY = LZ4Factory.fastestJavaInstance();

    private NativeCompression() {
    }

    /** Writes {@code data} to {@code out} as compressed blocks. */
    static void compress(byte[] data, int offset, int length, OutputStream out) throws IOException {
        LZ4Compressor compressor = FACTORY.fastCompressor();
        byte[] frame = new byte[HEADER + compressor.maxCompressedLength(Math.min(length, BLOCK))];
        for (int start = offset; start < offset + length; start += BLOCK) {
            int size = Math.min(BLOCK, offset + length - start);
            int compressed = compressor.compress(data, start, size, frame, HEADER, frame.length - HEADER);
            frame[0] = (byte) LZ4;
            writeIntLE(frame, 1, HEADER + compressed);
            writeIntLE(frame, 5, size);
            long[] hash = ClickHouseCityHash.cityHash128(frame, 0, HEADER + compressed);
            byte[] checksum = new byte[16];
            writeLongLE(checksum, 0, hash[0]);
            writeLongLE(checksum, 8, hash[1]);
            out.write(checksum);
            out.write(frame, 0, HEADER + compressed);
        }
    }

    /** Reads compressed blocks from {@code in} until it ends; returns the decompressed bytes. */
    static InputStream decompress(InputStream in) throws IOException {
        ByteArrayOutputStream plain = new ByteArrayOutputStream();
        LZ4FastDecompressor decompressor = FACTORY.fastDecompressor();
        byte[] checksum = new byte[16];
        byte[] header = new byte[HEADER];
        while (true) {
            int first = in.readNBytes(checksum, 0, 16);
            if (first == 0) {
                return new java.io.ByteArrayInputStream(plain.toByteArray());
            }
            if (first < 16 || in.readNBytes(header, 0, HEADER) < HEADER) {
                throw new EOFException("truncated compressed block");
            }
            int compressedSize = readIntLE(header, 1) - HEADER;
            int size = readIntLE(header, 5);
            byte[] block = in.readNBytes(compressedSize);
            if (block.length < compressedSize) {
                throw new EOFException("truncated compressed block");
            }
            int method = header[0] & 0xFF;
            if (method == NONE) {
                plain.write(block);
            } else if (method == LZ4) {
                plain.write(decompressor.decompress(block, 0, size));
            } else {
                throw new IOException("unsupported compression method 0x" + Integer.toHexString(method));
            }
        }
    }

    private static void writeIntLE(byte[] b, int at, int v) {
        for (int i = 0; i < 4; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void writeLongLE(byte[] b, int at, long v) {
        for (int i = 0; i < 8; i++) {
            b[at + i] = (byte) (v >>> (8 * i));
        }
    }

    private static int readIntLE(byte[] b, int at) {
        return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
    }
}
