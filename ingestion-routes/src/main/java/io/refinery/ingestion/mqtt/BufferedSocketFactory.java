package io.refinery.ingestion.mqtt;

import javax.net.SocketFactory;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Plain TCP sockets whose input is buffered and whose output is flushed at most once a millisecond. Paho reads
 * each packet's header a byte at a time straight from the socket's stream: three or four reads from the kernel
 * per message, for messages of a hundred bytes at tens of thousands a second. A buffer serves them from one
 * read. Paho's receiver is the only reader, so the buffer holds no bytes anyone else expects. Paho flushes
 * after every packet it sends, and the route acknowledges a landed batch's messages together: thousands of
 * PUBACKs of four bytes, a write to the kernel (and a segment for the broker to read) each. Flushes within a
 * millisecond of the first are done once ({@link CoalescingOutputStream}). Only for tcp:// brokers; TLS and
 * websockets keep Paho's own.
 */
final class BufferedSocketFactory extends SocketFactory {

    private static final int BUFFER_BYTES = 64 << 10;
    /** How long a flush may wait for more packets: a millisecond holds a burst of acknowledgements. */
    private static final long FLUSH_DELAY_NANOS = 1_000_000;

    @Override
    public Socket createSocket() {
        return new BufferedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected(new InetSocketAddress(host, port), new InetSocketAddress(localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected(new InetSocketAddress(host, port), null);
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
            throws IOException {
        return connected(new InetSocketAddress(address, port), new InetSocketAddress(localAddress, localPort));
    }

    private static Socket connected(InetSocketAddress remote, InetSocketAddress local) throws IOException {
        Socket s = new BufferedSocket();
        if (local != null) {
            s.bind(local);
        }
        s.connect(remote);
        return s;
    }

    private static final class BufferedSocket extends Socket {
        private InputStream in;
        private CoalescingOutputStream out;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new BufferedInputStream(super.getInputStream(), BUFFER_BYTES);
            }
            return in;
        }

        @Override
        public synchronized OutputStream getOutputStream() throws IOException {
            if (out == null) {
                out = new CoalescingOutputStream(super.getOutputStream(), BUFFER_BYTES, FLUSH_DELAY_NANOS);
            }
            return out;
        }

        @Override
        public synchronized void close() throws IOException {
            try {
                if (out != null) {
                    out.flushNow(); // what is buffered still goes (best effort)
                }
            } catch (IOException ignored) {
                // the connection is going anyway
            } finally {
                super.close();
            }
        }
    }
}
