/// The wire protocol: one JSON object per line, both ways (DESIGN.md §5).
public enum WireProtocol {
    /// Requests carry `"v": version`; the daemon refuses others.
    public static let version: UInt64 = 1
    /// The longest line either side accepts, newline included.
    public static let maxLineBytes = 64 * 1024
}
