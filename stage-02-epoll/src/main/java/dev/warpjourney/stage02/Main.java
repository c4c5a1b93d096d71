package dev.warpjourney.stage02;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Command line: {@code java -jar stage-02-epoll.jar [--host H] [--port P] [--root DIR]}. */
public final class Main {
    private Main() {}

    private static final String USAGE = """
            usage: java -jar stage-02-epoll.jar [--host 127.0.0.1] [--port 8080] [--root .]
              --host ADDRESS  address to listen on (default 127.0.0.1)
              --port N        port to listen on, 0 for any free port (default 8080)
              --root DIR      directory to serve (default: the current directory)
              --help          print this text
            Stage 02 of Warp Journey: one thread, one epoll selector.""";

    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 8080;
        Path root = Path.of(".");
        PrintStream err = System.err;
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--help", "-h" -> {
                        System.out.println(USAGE);
                        return;
                    }
                    case "--host" -> host = value(args, ++i);
                    case "--port" -> port = Integer.parseInt(value(args, ++i));
                    case "--root" -> root = Path.of(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
        } catch (IllegalArgumentException e) {
            err.println("stage-02-epoll: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            err.println("stage-02-epoll: root is not a readable directory: " + root.toAbsolutePath());
            System.exit(2);
            return;
        }
        Server server;
        try {
            server = Server.start(Config.of(host, port, root));
        } catch (BindException e) {
            err.println("stage-02-epoll: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException | RuntimeException e) {
            err.println("stage-02-epoll: cannot start: " + e.getMessage());
            System.exit(2);
            return;
        }
        // SIGTERM and Ctrl-C run shutdown hooks. A hook cannot change the exit status (143 for
        // SIGTERM), so after a clean drain it halts with 0: a clean stop is not an error. The hook
        // goes in before the start-up line, since a supervisor may signal as soon as it reads it.
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> {
            try {
                server.shutdown(Limits.SHUTDOWN_GRACE);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            Runtime.getRuntime().halt(0);
        }));
        System.out.println("listening on http://" + host + ":" + server.port() + "/ serving "
                + server.files().root() + " (selector: " + server.selectorName() + ")");
        Thread.currentThread().join(); // the loop thread serves; main just waits for the signal
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value for " + args[i - 1]);
        }
        return args[i];
    }
}
