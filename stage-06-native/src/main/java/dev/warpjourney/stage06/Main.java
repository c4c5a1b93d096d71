package dev.warpjourney.stage06;

import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Command line: {@code java -jar stage-06-native.jar [--host H] [--port P] [--root DIR] [--loops N]
 * [--model loops|vthreads] [--accept reuseport|shared|handoff] [--bodies memory|mapped|sendfile]
 * [--date once-a-second|per-request] [--heads per-file|per-request]}.
 */
public final class Main {
    private Main() {}

    private static final String USAGE = """
            usage: java -jar stage-06-native.jar [--host 127.0.0.1] [--port 8080] [--root .] [--loops N]
                   [--model loops|vthreads] [--accept reuseport|shared|handoff] [--bodies memory|mapped|sendfile]
                   [--date once-a-second|per-request] [--heads per-file|per-request]
                   [--jdk-costs none|accept,nodelay,close,transfer-to,no-msg-more]
              --host ADDRESS  address to listen on (default 127.0.0.1)
              --port N        port to listen on, 0 for any free port (default 8080)
              --root DIR      directory to serve (default: the current directory)
              --loops N       event loops, a thread and an epoll set each (default: the available processors)
              --model M       loops: N event loops (default); vthreads: a virtual thread per connection,
                              parked on the JDK's pollers (--loops sizes nothing there: give the JVM
                              -Djdk.virtualThreadScheduler.parallelism=N -Djdk.readPollers=P instead)
              --accept A      who accepts, with --model loops: reuseport (default: a listener per loop,
                              all on one port), shared (one listener in every loop's epoll set), handoff
                              (one acceptor thread hands each connection to the next loop)
              --bodies B      small files' bytes, sent with the head in one write: memory (default: read
                              once into the cache) or mapped (mmap of the file); sendfile: none kept,
                              every file sent after its head by sendfile, as in stage 04
              --date D        the Date header: once-a-second (default: formatted when the second
                              changes) or per-request (formatted for each response, as in stage 04)
              --heads H       a cached file's 200 head: per-file (default: composed once per file) or
                              per-request (composed for each response, as in stage 04)
                              (sendfile, per-request: each of this stage's ideas switched off, to
                              measure what it bought)
              --jdk-costs C   none (default), or a comma-separated list of the JDK's system calls to put
                              back in place of this stage's own, to measure what each move saved:
                              accept (accept, 3 fcntl, 2 getsockname for accept4), nodelay (TCP_NODELAY per
                              connection), close (the channel's close), transfer-to (fstat and
                              copy_file_range before sendfile), no-msg-more (the head without MSG_MORE)
              --help          print this text
            Diagnostics: java -Dstage06.reaper.log=true -jar ... prints each file-cache reaper pass on stderr.
            Stage 06 of Warp Journey: stage 05 with its event loops below the JDK (epoll, accept4,
            writev, send with MSG_MORE and sendfile called through the FFM API). Linux on x86_64 or
            aarch64 only. Prefork is N processes of this jar, each with --loops 1 --accept reuseport
            and the same --port.""";

    public static void main(String[] args) throws InterruptedException {
        String host = "127.0.0.1";
        int port = 8080;
        Path root = Path.of(".");
        int loops = Runtime.getRuntime().availableProcessors();
        Config.Model model = Config.Model.LOOPS;
        Config.Accept accept = null;
        Config.Bodies bodies = Config.Bodies.MEMORY;
        Config.Dates dates = Config.Dates.ONCE_A_SECOND;
        Config.Heads heads = Config.Heads.PER_FILE;
        Set<Config.JdkCost> jdkCosts = Set.of();
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
                    case "--loops" -> loops = loops(value(args, ++i));
                    case "--model" -> model = choice(Config.Model.class, "--model", value(args, ++i));
                    case "--accept" -> accept = choice(Config.Accept.class, "--accept", value(args, ++i));
                    case "--bodies" -> bodies = choice(Config.Bodies.class, "--bodies", value(args, ++i));
                    case "--date" -> dates = choice(Config.Dates.class, "--date", value(args, ++i));
                    case "--heads" -> heads = choice(Config.Heads.class, "--heads", value(args, ++i));
                    case "--jdk-costs" -> jdkCosts = jdkCosts(value(args, ++i));
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            if (accept != null && model != Config.Model.LOOPS) {
                // A virtual thread per connection has one acceptor; there is no loop to choose.
                throw new IllegalArgumentException("--accept applies to --model loops only");
            }
            if (!jdkCosts.isEmpty() && model != Config.Model.LOOPS) {
                // The virtual threads stay on the JDK's NIO (a blocking native call would hold a carrier): no costs to
                // put back.
                throw new IllegalArgumentException("--jdk-costs applies to --model loops only");
            }
        } catch (IllegalArgumentException e) {
            err.println("stage-06-native: " + e.getMessage() + " (try --help)");
            System.exit(2);
            return;
        }
        // tag::native-linux-only[]
        String os = System.getProperty("os.name") + " on " + System.getProperty("os.arch");
        if (!Linux.SUPPORTED) {
            // The bindings are Linux's system calls, with the constants and struct layouts of x86_64 and aarch64:
            // elsewhere they would call the wrong functions with the wrong numbers. Stage 05 runs everywhere.
            err.println("stage-06-native: runs on Linux (x86_64 or aarch64) only, as it calls epoll, accept4 and "
                    + "sendfile itself; this is " + os + ": use stage-05-composer here");
            System.exit(2);
            return;
        }
        // end::native-linux-only[]
        if (!Files.isDirectory(root) || !Files.isReadable(root)) {
            err.println("stage-06-native: root is not a readable directory: " + root.toAbsolutePath());
            System.exit(2);
            return;
        }
        Server server;
        try {
            server = Server.start(Config.of(host, port, root)
                    .with(model, loops, accept == null ? Config.Accept.REUSEPORT : accept)
                    .with(bodies)
                    .with(dates)
                    .with(heads)
                    .with(jdkCosts));
        } catch (BindException e) {
            err.println("stage-06-native: cannot listen on " + host + ":" + port + ": " + e.getMessage());
            System.exit(2);
            return;
        } catch (IOException | RuntimeException e) {
            err.println("stage-06-native: cannot start: " + e.getMessage());
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
                + server.files().root() + " (" + server.describe() + ")");
        Thread.currentThread().join(); // the loops (or the virtual threads) serve; main just waits for the signal
    }

    private static int loops(String text) {
        try {
            int n = Integer.parseInt(text);
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("--loops needs a whole number, at least 1: " + text);
    }

    /** One of an enum's constants by its lower-case name, e.g. "vthreads" for Model.VTHREADS, "per-request" for PER_REQUEST. */
    private static <E extends Enum<E>> E choice(Class<E> type, String option, String text) {
        for (E e : type.getEnumConstants()) {
            if (optionName(e).equals(text)) {
                return e;
            }
        }
        StringBuilder names = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            names.append(names.isEmpty() ? "" : "|").append(optionName(e));
        }
        throw new IllegalArgumentException(option + " must be " + names + ": " + text);
    }

    /** An enum constant as the command line spells it (and the start-up line names it). */
    /** "none", or JdkCost names separated by commas, as the command line spells them. */
    private static Set<Config.JdkCost> jdkCosts(String text) {
        if (text.equals("none")) {
            return Set.of();
        }
        Set<Config.JdkCost> costs = EnumSet.noneOf(Config.JdkCost.class);
        for (String name : text.split(",", -1)) {
            costs.add(choice(Config.JdkCost.class, "--jdk-costs", name));
        }
        return costs;
    }

    /** The JDK costs as the command line spells them, in their declared order. */
    static String optionNames(Set<Config.JdkCost> costs) {
        StringBuilder names = new StringBuilder();
        for (Config.JdkCost c : EnumSet.copyOf(costs)) {
            names.append(names.isEmpty() ? "" : ",").append(optionName(c));
        }
        return names.toString();
    }

    static String optionName(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value for " + args[i - 1]);
        }
        return args[i];
    }
}
