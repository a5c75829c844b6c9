import ArgumentParser
import FairshareSystem
import SystemPackage
#if canImport(Glibc)
import Glibc
#endif

/// Finds a command the way execvp(3) and the shell do, and replaces the
/// process with it.
enum ExecutableLookup {
    enum Result: Equatable {
        case found(String)
        case notFound
        case notExecutable(String)
    }

    static func find(_ name: String) -> Result {
        if name.contains("/") { return check(name) ?? .notFound }
        let path = Environment.value("PATH") ?? "/usr/local/bin:/usr/bin:/bin"
        var denied: String?
        for dir in path.split(separator: ":", omittingEmptySubsequences: false) {
            let candidate = (dir.isEmpty ? "." : String(dir)) + "/" + name
            switch check(candidate) {
            case .found(let p)?: return .found(p)
            case .notExecutable(let p)?: denied = denied ?? p
            default: continue
            }
        }
        return denied.map { .notExecutable($0) } ?? .notFound
    }

    /// The command's path, or the shell's message on stderr and its exit
    /// status (127 not found, 126 not executable): `exec` and `run`
    /// resolve before asking the daemon for anything.
    static func resolve(_ name: String) throws -> String {
        switch find(name) {
        case .found(let path): return path
        case .notFound:
            StandardStreams.err("fairshare: \(name): command not found\n")
            throw ExitCode(ExitStatus.notFound)
        case .notExecutable(let path):
            StandardStreams.err("fairshare: \(path): permission denied\n")
            throw ExitCode(ExitStatus.cannotExecute)
        }
    }

    /// nil when nothing is there; a directory counts as not executable.
    private static func check(_ path: String) -> Result? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        if (st.st_mode & S_IFMT) == S_IFDIR { return .notExecutable(path) }
        return access(path, X_OK) == 0 ? .found(path) : .notExecutable(path)
    }

    /// execv(2); returns only on failure.
    static func replaceProcess(path: String, argv: [String]) -> SystemError {
        var cArgs: [UnsafeMutablePointer<CChar>?] = argv.map { strdup($0) }
        cArgs.append(nil)
        execv(path, cArgs)
        return .current("execv", path)
    }
}
