package dms.dump.copy;

/**
 * What one copy moved.
 *
 * @param rows rows written on the destination (COPY's command tag)
 * @param bytes bytes of COPY data streamed from the source to the destination
 * @param millis wall time from the first statement to the destination's commit
 */
public record CopyResult(long rows, long bytes, long millis, CopyFormat format) {

    public double megabytesPerSecond() {
        return millis == 0 ? 0 : bytes / 1e6 / (millis / 1000.0);
    }
}
