package dev.warpjourney.testkit;

/** A running server under test. */
public interface StaticServer extends AutoCloseable {
    /** The port it listens on, on 127.0.0.1. */
    int port();

    /** Stops it and releases every socket it holds. */
    @Override
    void close();
}
