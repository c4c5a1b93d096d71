package dev.warpjourney.stage06;

/** The contract with two loops, each on its own SO_REUSEPORT listener (the default design). */
class Stage06ReuseportContractTest extends Stage06Contract {
    @Override
    Config design(Config contract) {
        return contract.with(Config.Model.LOOPS, 2, Config.Accept.REUSEPORT);
    }

    /** The stage as a process of its own, for the descriptor-limit and SIGTERM sections. */
    @Override
    public String mainClass() {
        return Child.class.getName();
    }

    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Stage06Contract.main(args, "--model", "loops", "--loops", "2", "--accept", "reuseport");
        }
    }
}
