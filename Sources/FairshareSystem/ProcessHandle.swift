import CShims
#if canImport(Glibc)
import Glibc
#endif

/// A pidfd: one process, for as long as the handle is open, never a
/// process that later got the same pid. Closed when the last reference
/// goes.
public final class ProcessHandle: Sendable {
    public let pid: Int32
    public let fd: Int32

    private init(pid: Int32, fd: Int32) {
        self.pid = pid
        self.fd = fd
    }

    /// The peer of a connected Unix socket: `SO_PEERPIDFD` where the kernel
    /// has it (Linux 6.5+: the very process that connected), else
    /// `pidfd_open` of the pid `SO_PEERCRED` gave (checked against the
    /// process's start time by the caller).
    public static func ofPeer(socket: Int32, pid: Int32) throws(SystemError) -> ProcessHandle {
        let fd = fs_peer_pidfd(socket)
        if fd >= 0 { return ProcessHandle(pid: pid, fd: fd) }
        return try open(pid: pid)
    }

    public static func open(pid: Int32) throws(SystemError) -> ProcessHandle {
        let fd = fs_pidfd_open(pid)
        guard fd >= 0 else { throw .current("pidfd_open", "pid \(pid)") }
        return ProcessHandle(pid: pid, fd: fd)
    }

    /// The process has not exited (a zombie still counts: its pid is not
    /// free until it is reaped).
    public var isAlive: Bool { fs_pidfd_alive(fd) == 0 }

    deinit { close(fd) }
}
