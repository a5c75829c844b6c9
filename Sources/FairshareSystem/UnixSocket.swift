#if canImport(Glibc)
import Glibc
#endif
import CShims

/// Unix stream sockets: the one place that builds `sockaddr_un`.
public enum UnixSocket {
    /// Connects to `path`; the fd is blocking and close-on-exec.
    public static func connect(to path: String) throws(SystemError) -> Int32 {
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .current("socket") }
        let rc = withAddress(path) { addr, len in Glibc.connect(fd, addr, len) }
        guard rc == 0 else {
            let e = SystemError.current("connect", path)
            close(fd)
            throw e
        }
        return fd
    }

    /// Creates a listening socket at `path` with `mode`, owned by `group`.
    /// Refuses to replace a socket some other process still listens on; a
    /// stale one is removed.
    public static func listen(at path: String, mode: mode_t, group: UInt32?, backlog: Int32 = 128) throws(SystemError) -> Int32 {
        if let probe = try? connect(to: path) {
            close(probe)
            throw SystemError("bind", path, errno: .addressInUse)
        }
        var st = stat()
        if lstat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFSOCK else { throw SystemError("bind", path, errno: .fileExists) }
            unlink(path)
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        guard fd >= 0 else { throw .current("socket") }
        do throws(SystemError) {
            // umask would leave a window where the socket has wider rights:
            // bind with a tight umask, then set the exact mode and owner.
            let old = umask(0o177)
            let rc = withAddress(path) { addr, len in bind(fd, addr, len) }
            umask(old)
            guard rc == 0 else { throw SystemError.current("bind", path) }
            if let group, chown(path, 0, group) != 0 { throw SystemError.current("chown", path) }
            guard chmod(path, mode) == 0 else { throw SystemError.current("chmod", path) }
            guard Glibc.listen(fd, backlog) == 0 else { throw SystemError.current("listen", path) }
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    /// accept4 with CLOEXEC | NONBLOCK; nil when nothing is pending.
    public static func accept(_ fd: Int32) throws(SystemError) -> Int32? {
        let c = fs_accept(fd)
        if c >= 0 { return c }
        let e = currentErrno()
        if e == EAGAIN || e == EWOULDBLOCK || e == EINTR || e == ECONNABORTED { return nil }
        throw .current("accept")
    }

    private static func withAddress<R>(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> R) -> R {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        let capacity = MemoryLayout.size(ofValue: addr.sun_path)
        precondition(bytes.count < capacity, "socket path too long: \(path)")
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                body($0, socklen_t(MemoryLayout<sa_family_t>.size + bytes.count + 1))
            }
        }
    }

    /// The longest path `sockaddr_un` holds.
    public static let maxPathLength = 107
}
