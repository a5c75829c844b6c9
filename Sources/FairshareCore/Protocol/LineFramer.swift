/// Splits a byte stream into lines of at most `limit` bytes (newline
/// included). Pure: the caller feeds bytes and takes events.
public struct LineFramer: Sendable {
    public enum Event: Equatable, Sendable {
        case line([UInt8])
        /// More than `limit` bytes arrived without a newline: the stream
        /// cannot be trusted to resynchronise, the caller should close it.
        case overflow
    }

    public let limit: Int
    @usableFromInline var pending: [UInt8] = []
    @usableFromInline var failed = false

    public init(limit: Int = WireProtocol.maxLineBytes) { self.limit = limit }

    /// Bytes buffered without a newline yet.
    public var bufferedCount: Int { pending.count }

    /// Inlinable so that callers in other modules get it specialised for
    /// their collection: unspecialised, every byte went through a protocol
    /// witness and the first call looked the conformances up at run time
    /// (0.4 M instructions of a `fairshare status`, callgrind).
    @inlinable
    public mutating func feed<C: Collection>(_ bytes: C) -> [Event] where C.Element == UInt8 {
        guard !failed else { return [] }
        var events: [Event] = []
        for byte in bytes {
            if byte == 0x0A {
                events.append(.line(pending))
                pending.removeAll(keepingCapacity: true)
            } else {
                pending.append(byte)
                if pending.count >= limit {
                    failed = true
                    pending = []
                    events.append(.overflow)
                    return events
                }
            }
        }
        return events
    }
}
