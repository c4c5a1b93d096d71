package dev.warpjourney.stage06;

/**
 * The contract with this stage's three measured switches off at once ({@code --bodies sendfile --date per-request
 * --heads per-request}), on one loop as the journey runs them: a server the chapter measures must answer as the
 * stage does, byte for byte, or what it measures is not the same work done another way.
 */
class Stage06SwitchedOffContractTest extends Stage06Contract {
    @Override
    Config design(Config contract) {
        return contract.with(Config.Model.LOOPS, 1, Config.Accept.REUSEPORT)
                .with(Config.Bodies.SENDFILE)
                .with(Config.Dates.PER_REQUEST)
                .with(Config.Heads.PER_REQUEST);
    }

    /** The stage as a process of its own, for the descriptor-limit and SIGTERM sections. */
    @Override
    public String mainClass() {
        return Child.class.getName();
    }

    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Stage06Contract.main(
                    args,
                    "--model",
                    "loops",
                    "--loops",
                    "1",
                    "--bodies",
                    "sendfile",
                    "--date",
                    "per-request",
                    "--heads",
                    "per-request");
        }
    }
}
