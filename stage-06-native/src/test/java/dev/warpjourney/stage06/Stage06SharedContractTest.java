package dev.warpjourney.stage06;

/** The contract with two loops selecting on one shared listener (the thundering herd). */
class Stage06SharedContractTest extends Stage06Contract {
    @Override
    Config design(Config contract) {
        return contract.with(Config.Model.LOOPS, 2, Config.Accept.SHARED);
    }

    /** The stage as a process of its own, for the descriptor-limit and SIGTERM sections. */
    @Override
    public String mainClass() {
        return Child.class.getName();
    }

    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Stage06Contract.main(args, "--model", "loops", "--loops", "2", "--accept", "shared");
        }
    }
}
