import CSystemd
#if canImport(Glibc)
import Glibc
#endif

/// sd_notify(3) and sd_listen_fds(3): telling systemd how the service is,
/// and taking the sockets it passed.
public enum ServiceNotifier {
    public static func ready(status: String) { send("READY=1\nSTATUS=\(status)") }
    public static func reloading() {
        send("RELOADING=1\nMONOTONIC_USEC=\(Monotonic.nowUSec())")
    }
    public static func stopping() { send("STOPPING=1") }
    public static func status(_ text: String) { send("STATUS=\(text)") }
    /// Tells systemd the service is alive (`WatchdogSec=`).
    public static func watchdog() { send("WATCHDOG=1") }

    /// The watchdog interval systemd asks for (`WATCHDOG_USEC`, for this
    /// very process), in microseconds; nil when it asks for none.
    public static func watchdogInterval() -> UInt64? {
        guard let text = getenv("WATCHDOG_USEC").map({ String(cString: $0) }), let usec = UInt64(text), usec > 0 else { return nil }
        if let pidText = getenv("WATCHDOG_PID").map({ String(cString: $0) }), Int32(pidText) != getpid() { return nil }
        return usec
    }

    private static func send(_ state: String) { _ = sd_notify(0, state) }

    /// Listening Unix stream sockets passed by socket activation (fds from
    /// 3 on), switched to non-blocking; empty when none. Unsets `LISTEN_FDS`
    /// so children do not inherit the claim.
    public static func listenFDs() -> [Int32] {
        let n = sd_listen_fds(1)
        guard n > 0 else { return [] }
        return (0..<n).map { SD_LISTEN_FDS_START + $0 }.filter { fd in
            // systemd passes them blocking; an accept loop must not block.
            guard sd_is_socket_unix(fd, Int32(SOCK_STREAM.rawValue), 1, nil, 0) > 0 else { return false }
            let flags = fcntl(fd, F_GETFL)
            return flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0
        }
    }
}
