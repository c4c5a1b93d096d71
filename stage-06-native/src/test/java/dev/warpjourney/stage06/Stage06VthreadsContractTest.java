package dev.warpjourney.stage06;

/** The contract with a virtual thread per connection, on the test JVM's default scheduler and pollers. */
class Stage06VthreadsContractTest extends Stage06Contract {
    @Override
    Config design(Config contract) {
        return contract.with(Config.Model.VTHREADS, contract.loops(), Config.Accept.REUSEPORT);
    }

    /** The stage as a process of its own, for the descriptor-limit and SIGTERM sections. */
    @Override
    public String mainClass() {
        return Child.class.getName();
    }

    static final class Child {
        public static void main(String[] args) throws InterruptedException {
            Stage06Contract.main(args, "--model", "vthreads");
        }
    }
}
