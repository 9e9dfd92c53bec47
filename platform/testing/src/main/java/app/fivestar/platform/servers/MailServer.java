package app.fivestar.platform.servers;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import jakarta.mail.internet.MimeMessage;

import java.util.List;

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
        GreenMail mail = new GreenMail(new ServerSetup(p, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        mail.start();
        return new MailServer(mail);
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
