import FairshareSystem
import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// The CRL file, read again whenever it changes (the administrator runs
/// `fairshare-remote-certs revoke`, no restart needed). No file: nothing
/// is revoked. A file that cannot be read or parsed: every certificate is
/// refused until it is fixed (fail closed).
final class RevocationFile: Sendable {
    struct Unreadable: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    let path: String?
    private let state = Mutex<(stamp: Stamp?, list: Result<RevocationList, Unreadable>)>((nil, .success(.empty)))

    private struct Stamp: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, modified: Int64, modifiedNanoseconds: Int
    }

    init(path: String?) { self.path = path }

    /// The list in force now; rereads the file if it changed since.
    func current() -> Result<RevocationList, Unreadable> {
        guard let path else { return .success(.empty) }
        var info = stat()
        guard stat(path, &info) == 0 else {
            let error = errno
            if error == ENOENT { return .success(.empty) }
            return .failure(Unreadable(description: "\(path): \(String(cString: strerror(error)))"))
        }
        let stamp = Stamp(device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
                          modified: Int64(info.st_mtim.tv_sec), modifiedNanoseconds: info.st_mtim.tv_nsec)
        return state.withLock { state in
            if state.stamp == stamp { return state.list }
            let list: Result<RevocationList, Unreadable>
            do {
                list = .success(try RevocationList.read(try FileIO.read(path)))
            } catch {
                list = .failure(Unreadable(description: "\(path): \(error)"))
            }
            state = (stamp, list)
            return list
        }
    }
}
