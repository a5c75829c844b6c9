#if canImport(Glibc)
import Glibc
#endif

/// The environment the remote client reads (fairshare(1), REMOTE).
enum RemoteEnvironment {
    /// `HOST:PORT`: like `--remote`, for every command (as DOCKER_HOST is).
    static let remote = "FAIRSHARE_REMOTE"

    /// A variable's value; nil when unset or empty.
    static func value(_ name: String) -> String? {
        guard let p = getenv(name) else { return nil }
        let v = String(cString: p)
        return v.isEmpty ? nil : v
    }

    /// $HOME, else the account's home directory from the user database.
    static var home: String {
        if let home = value("HOME") { return home }
        guard let entry = getpwuid(getuid()), let dir = entry.pointee.pw_dir else { return "/" }
        return String(cString: dir)
    }
}
