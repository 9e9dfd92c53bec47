package app.fivestar.platform.servers;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertTrue;

class FreePortsTest {

    @Test
    void portsAreBindableDistinctAndOutsideTheRangeOutgoingConnectionsUse() throws Exception {
        int ephemeralLow = FreePorts.ephemeralLow();
        Set<Integer> seen = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            int port = FreePorts.pick();
            assertTrue(port < ephemeralLow, port + " is in the ephemeral range starting at " + ephemeralLow);
            assertTrue(seen.add(port), port + " was handed out twice");
        }
        int port = FreePorts.pick();
        try (ServerSocket s = new ServerSocket(port)) {
            assertTrue(s.isBound());
        }
    }
}
