package dms.devstack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Free TCP ports on 127.0.0.1: other processes on this machine may hold the usual ones. */
public final class FreePorts {
    static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    /** Ports handed out by this JVM, so two components picked before either binds never get the same one. */
    private static final Set<Integer> HANDED_OUT = ConcurrentHashMap.newKeySet();

    private FreePorts() {
    }

    /** A port the kernel considers free now (it may still be taken by someone else before it is bound). */
    public static int pick() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try (ServerSocket socket = new ServerSocket(0, 1, LOOPBACK)) {
                int port = socket.getLocalPort();
                if (HANDED_OUT.add(port)) {
                    return port;
                }
            } catch (IOException e) {
                throw new DevStackException("cannot bind a socket on 127.0.0.1", e);
            }
        }
        throw new DevStackException("no free port found on 127.0.0.1");
    }

    /** {@code preferred} when it is set (> 0) and free, so a restarted stack keeps its URLs; else a new one. */
    public static int pickPreferring(int preferred) {
        if (preferred > 0 && isFree(preferred)) {
            HANDED_OUT.add(preferred);
            return preferred;
        }
        return pick();
    }

    public static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // Same option as the servers we start: a port in TIME_WAIT is reusable, one being listened on is not.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(LOOPBACK, port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
