package dms.cdc.stream;

/** Why a CDC stream stopped on its own: the message says what failed and where (source, destination, table). */
public final class CdcStreamException extends RuntimeException {

    public CdcStreamException(String message, Throwable cause) {
        super(message, cause);
    }
}
