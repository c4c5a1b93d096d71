package dev.warpjourney.stage06;

/** The contract with small files' bytes mapped from the file (--bodies mapped), on two loops of their own listeners. */
class Stage06MappedContractTest extends Stage06Contract {
    @Override
    Config design(Config contract) {
        return contract.with(Config.Model.LOOPS, 2, Config.Accept.REUSEPORT).with(Config.Bodies.MAPPED);
    }

    /** The stage as a process of its own, for the descriptor-limit and SIGTERM sections. */
    @Override
    public String mainClass() {
        return Child.class.getName();
    }

    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Stage06Contract.main(
                    args, "--model", "loops", "--loops", "2", "--accept", "reuseport", "--bodies", "mapped");
        }
    }
}
