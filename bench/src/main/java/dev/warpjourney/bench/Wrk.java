package dev.warpjourney.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Runs wrk, from PATH or in a container, and returns what report.lua printed. */
interface Wrk {

    WrkResult run(Scenario scenario, int port, Duration duration, Path scripts) throws IOException, InterruptedException;

    /** wrk's arguments for a scenario, the same whichever way wrk runs. */
    static List<String> arguments(Scenario scenario, String host, int port, Duration duration, Path scripts) {
        List<String> args = new ArrayList<>(List.of("-t1", "-c" + scenario.connections(), "-d" + duration.toSeconds() + "s",
                "--timeout", "10s", "-s", scripts.resolve(scenario.manyFiles() ? "manyfiles.lua" : "report.lua").toString()));
        if (scenario.close()) {
            args.add("-H");
            args.add("Connection: close");
        }
        args.add("http://" + host + ":" + port + scenario.path());
        if (scenario.manyFiles()) {
            args.add("--");
            args.add(scripts.resolve("paths.txt").toString());
        }
        return args;
    }

    /** wrk from PATH, pinned with taskset. */
    record Local(String cpus) implements Wrk {
        @Override
        public WrkResult run(Scenario scenario, int port, Duration duration, Path scripts) throws IOException, InterruptedException {
            List<String> cmd = new ArrayList<>(List.of("taskset", "-c", cpus, "wrk"));
            cmd.addAll(arguments(scenario, "127.0.0.1", port, duration, scripts));
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            int rc = p.waitFor();
            if (rc != 0) {
                throw new IOException("wrk exited with " + rc + ":\n" + out);
            }
            return WrkResult.parse(out);
        }
    }

    static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            if (!dir.isEmpty() && Path.of(dir, command).toFile().canExecute()) {
                return true;
            }
        }
        return false;
    }
}
