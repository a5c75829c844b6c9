#if canImport(Glibc)
import Glibc
#endif

/// Whole-file reads and atomic replacement: the only file I/O the daemon
/// does, so one place handles EINTR, short reads and size caps.
public enum FileIO {
    /// Reads a file; refuses files larger than `limit` bytes.
    public static func read(_ path: String, limit: Int = 16 << 20) throws(SystemError) -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .current("open", path) }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 16384)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if currentErrno() == EINTR { continue }
                throw .current("read", path)
            }
            if n == 0 { break }
            out.append(contentsOf: chunk[0..<n])
            if out.count > limit { throw SystemError("read", path, errno: .fileTooLarge) }
        }
        return out
    }

    /// Up to `count` bytes from `offset`, and the file's size now.
    public static func read(_ path: String, offset: UInt64, count: Int) throws(SystemError) -> (bytes: [UInt8], size: UInt64) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .current("open", path) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { throw .current("fstat", path) }
        // At or past the end there is nothing to read; this also keeps an
        // offset from a request (any UInt64) within off_t.
        guard offset < UInt64(st.st_size) else { return ([], UInt64(st.st_size)) }
        var out = [UInt8](repeating: 0, count: count)
        var got = 0
        while got < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + got, count - got, off_t(offset) + off_t(got)) }
            if n < 0 {
                if currentErrno() == EINTR { continue }
                throw .current("read", path)
            }
            if n == 0 { break }
            got += n
        }
        return (Array(out.prefix(got)), UInt64(st.st_size))
    }

    /// The file's size, nil if it cannot be stat'ed.
    public static func size(_ path: String) -> UInt64? {
        var st = stat()
        return stat(path, &st) == 0 ? UInt64(st.st_size) : nil
    }

    /// Cuts the file to `size` bytes, then appends `tail`.
    public static func truncate(_ path: String, to size: UInt64, appending tail: [UInt8]) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_APPEND | O_CLOEXEC)
        guard fd >= 0 else { throw .current("open", path) }
        defer { close(fd) }
        guard ftruncate(fd, off_t(size)) == 0 else { throw .current("ftruncate", path) }
        var offset = 0
        while offset < tail.count {
            let n = tail.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, tail.count - offset) }
            if n < 0 {
                if currentErrno() == EINTR { continue }
                throw .current("write", path)
            }
            offset += n
        }
    }

    /// Removes a file; a missing one is not an error.
    public static func remove(_ path: String) {
        _ = unlink(path)
    }

    /// Creates an empty file (or leaves an existing one) with `mode`.
    public static func createEmpty(_ path: String, mode: mode_t) throws(SystemError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .current("open", path) }
        close(fd)
    }

    public static func readString(_ path: String, limit: Int = 16 << 20) throws(SystemError) -> String {
        String(decoding: try read(path, limit: limit), as: UTF8.self)
    }

    /// Replaces `path` atomically: a temporary file in the same directory,
    /// fsync, rename, fsync of the directory. Readers see the old or the new
    /// content, never a mix; a crash leaves one of the two.
    public static func writeAtomically(_ path: String, _ bytes: [UInt8], mode: mode_t = 0o644) throws(SystemError) {
        let dir = parentDirectory(of: path)
        let tmp = "\(path).tmp.\(getpid())"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw .current("open", tmp) }
        var ok = false
        defer {
            if !ok { unlink(tmp) }
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if currentErrno() == EINTR { continue }
                let e = SystemError.current("write", tmp)
                close(fd)
                throw e
            }
            offset += n
        }
        if fchmod(fd, mode) != 0 || fsync(fd) != 0 {
            let e = SystemError.current("fsync", tmp)
            close(fd)
            throw e
        }
        close(fd)
        guard rename(tmp, path) == 0 else { throw .current("rename", path) }
        ok = true
        let dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            _ = fsync(dfd)
            close(dfd)
        }
    }

    /// Creates `path` and its parents with exactly `mode` (whatever the
    /// umask; the unit sets UMask=0077) if missing.
    public static func makeDirectory(_ path: String, mode: mode_t = 0o755) throws(SystemError) {
        if path.isEmpty || path == "/" { return }
        var st = stat()
        if stat(path, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else { throw SystemError("mkdir", path, errno: .notDirectory) }
            return
        }
        try makeDirectory(parentDirectory(of: path), mode: mode)
        if mkdir(path, mode) != 0 {
            guard currentErrno() == EEXIST else { throw .current("mkdir", path) }
            return
        }
        guard chmod(path, mode) == 0 else { throw .current("chmod", path) }
    }

    /// Whether something is at `path` (stat(2), following links). Not
    /// access(2): under the daemon's unit it answers ENOENT for device
    /// nodes that stat sees (seen with systemd 252's sandbox).
    public static func exists(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0
    }

    /// Names in a directory (no `.` and `..`), sorted bytewise.
    public static func listDirectory(_ path: String) throws(SystemError) -> [String] {
        guard let d = opendir(path) else { throw .current("opendir", path) }
        defer { closedir(d) }
        var names: [String] = []
        while let e = readdir(d) {
            let name = withUnsafeBytes(of: e.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    public static func parentDirectory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }
}
