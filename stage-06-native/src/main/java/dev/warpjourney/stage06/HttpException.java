package dev.warpjourney.stage06;

/** A request the server answers with an error status and then closes: its framing can no longer be trusted. */
final class HttpException extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;

    HttpException(int status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }
}
