#if canImport(Glibc)
import Glibc
#endif

/// Unbuffered writes to fd 1 and fd 2. No `FILE*` (its globals are not
/// concurrency-safe in Swift 6) and no Foundation.
public enum StandardStreams {
    public static func out(_ text: String) { write(1, text) }
    public static func err(_ text: String) { write(2, text) }

    /// Writes all of `text`, retrying on EINTR and short writes.
    public static func write(_ fd: Int32, _ text: String) {
        var text = text
        text.withUTF8 { write(fd, $0) }
    }

    /// Writes all of `bytes` (a job's output, byte for byte).
    public static func write(_ fd: Int32, bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write(fd, $0) }
    }

    private static func write(_ fd: Int32, _ buf: UnsafeBufferPointer<UInt8>) {
        var offset = 0
        while offset < buf.count {
            let n = Glibc.write(fd, buf.baseAddress! + offset, buf.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                return
            }
            offset += n
        }
    }
}
