import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// Structured journal entries through sd_journal_sendv(3).
public enum Journal {
    public enum Priority: Int {
        case error = 3, warning = 4, notice = 5, info = 6, debug = 7
    }

    /// Sends MESSAGE=, PRIORITY= and `fields` ("KEY", "value") as one entry.
    public static func send(_ message: String, priority: Priority = .info, fields: [(String, String)] = []) {
        var entries = ["MESSAGE=\(message)", "PRIORITY=\(priority.rawValue)", "SYSLOG_IDENTIFIER=fairshared"]
        for (k, v) in fields { entries.append("\(k)=\(v)") }
        // C copies with a stable address for the duration of the call.
        let copies = entries.map { strdup($0) }
        defer { copies.forEach { free($0) } }
        var iov = copies.map { iovec(iov_base: UnsafeMutableRawPointer($0), iov_len: strlen($0!)) }
        _ = sd_journal_sendv(&iov, Int32(iov.count))
    }
}
