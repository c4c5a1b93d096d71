package dev.warpjourney.stage06;

import java.util.EnumSet;

/**
 * The contract with every JDK cost put back at once ({@code --jdk-costs accept,nodelay,close,transfer-to,no-msg-more}),
 * and every file sent by sendfile ({@code --bodies sendfile}) so that the file path's costs are on each response, on
 * one loop as the journey runs them: the calls the chapter's table puts back must leave the bytes on the wire as they
 * were, or the table would measure another server.
 */
class Stage06JdkCostsContractTest extends Stage06Contract {
    @Override
    Config design(Config contract) {
        return contract.with(Config.Model.LOOPS, 1, Config.Accept.REUSEPORT)
                .with(Config.Bodies.SENDFILE)
                .with(EnumSet.allOf(Config.JdkCost.class));
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
                    "--jdk-costs",
                    "accept,nodelay,close,transfer-to,no-msg-more");
        }
    }
}
