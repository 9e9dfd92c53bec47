package app.fivestar.platform.servers;

import com.icegreen.greenmail.Managers;
import com.icegreen.greenmail.server.AbstractServer;
import com.icegreen.greenmail.server.ProtocolHandler;
import com.icegreen.greenmail.smtp.SmtpServer;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

import java.net.Socket;
import java.net.SocketException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A real SMTP server on loopback (GreenMail) that keeps what it receives: the local stack's and the tests'
 * mail server. Used by the test resources and by the local stack alike.
 */
public final class MailServer implements AutoCloseable {

    private final GreenMail mail;

    private MailServer(GreenMail mail) {
        this.mail = mail;
    }

    /** Starts an SMTP server on {@code port} (0 = a free port). */
    public static MailServer start(int port) {
        int p = port > 0 ? port : FreePorts.pick();
        GreenMail mail = new GreenMail(new ServerSetup(p, "127.0.0.1", ServerSetup.PROTOCOL_SMTP)) {
            @Override
            protected Map<String, AbstractServer> createServices(ServerSetup[] config, Managers managers) {
                Map<String, AbstractServer> services = new HashMap<>(super.createServices(config, managers));
                services.put(ServerSetup.PROTOCOL_SMTP, new NoDelaySmtpServer(config[0], managers));
                return services;
            }
        };
        mail.start();
        return new MailServer(mail);
    }

    /**
     * GreenMail's SMTP server with Nagle's algorithm off on each connection. With it on, every SMTP command was answered
     * ~44 ms late (EHLO, MAIL, RCPT, DATA, NOOP timed from a socket client; 0.6-3.7 ms with it off): a mail took ~230 ms,
     * 4 e-mails/s from one sender. GreenMail's replies reach the socket in more than one write (a client that loses
     * the first part of a greeting reads "eenMail SMTP Service ... ready"), and a small second write waits for the
     * acknowledgement of the first. A real relay does not hold its replies back like that.
     */
    private static final class NoDelaySmtpServer extends SmtpServer {
        NoDelaySmtpServer(ServerSetup setup, Managers managers) {
            super(setup, managers);
        }

        @Override
        protected ProtocolHandler createProtocolHandler(Socket client) {
            try {
                client.setTcpNoDelay(true);
            } catch (SocketException e) {
                // a connection already gone: its handler finds out
            }
            return super.createProtocolHandler(client);
        }
    }

    public int port() {
        return mail.getSmtp().getPort();
    }

    /** Every message received so far. */
    public List<MimeMessage> received() {
        return List.of(mail.getReceivedMessages());
    }

    /** Messages received for one address. */
    public List<MimeMessage> receivedBy(String address) {
        return List.of(mail.getReceivedMessagesForDomain(address));
    }

    @Override
    public void close() {
        mail.stop();
    }
}
