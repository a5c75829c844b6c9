import FairshareCLI
import FairshareCore
import FairshareRemote
import GRPCCore
#if canImport(Glibc)
import Glibc
#endif

/// A Start request as fairshared's `run`: checked at the edge, the command
/// found as the local client would find it, the account's home directory
/// as the working directory (a remote client has no "here").
enum StartRequestReading {
    /// systemd's own search path for unit commands.
    static let searchPath = ["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"]

    static func runRequest(_ start: Fairshare_Remote_V1_StartRequest, home: String) throws(RPCError) -> RunRequest {
        var words: [String] = []
        for (i, bytes) in start.argv.enumerated() {
            guard let word = String(validating: bytes, as: UTF8.self) else {
                throw RPCError(code: .invalidArgument, message: "argv[\(i)] is not UTF-8")
            }
            words.append(word)
        }
        guard let program = words.first, !program.isEmpty else {
            throw RPCError(code: .invalidArgument, message: "no command given: argv is empty")
        }
        words[0] = try resolve(program, home: home)
        do {
            try RunRequest.checkCommandSize(words)
            let argv = try words.enumerated().map { (i, w) throws(InputRejection) in try CommandArgument(checking: w, field: "argv[\(i)]") }
            let cwd = try AbsolutePath(checking: home, field: "cwd")
            // The local client's checks and words (`fairshare run --name/--cpu/--mem/--tasks`).
            let limits = try Request.resources(cpu: start.limits.cpu.isEmpty ? nil : start.limits.cpu,
                                               mem: start.limits.mem.isEmpty ? nil : start.limits.mem,
                                               tasks: start.limits.tasks == 0 ? nil : String(start.limits.tasks), lease: nil)
            return RunRequest(argv: argv, cwd: cwd, name: try Request.namePart(start.name.isEmpty ? nil : start.name), limits: limits)
        } catch {
            throw RPCError(code: .invalidArgument, message: "\(error)")
        }
    }

    /// An absolute path as it is; `dir/prog` from the home directory; a bare
    /// name from `searchPath`.
    static func resolve(_ program: String, home: String) throws(RPCError) -> String {
        if program.hasPrefix("/") { return program }
        if program.contains(Character("/")) { return (home == "/" ? "" : home) + "/" + program }
        for directory in searchPath {
            let candidate = directory + "/" + program
            var info = stat()
            if stat(candidate, &info) == 0, info.st_mode & S_IFMT == S_IFREG, access(candidate, X_OK) == 0 { return candidate }
        }
        throw RPCError(code: .invalidArgument,
                       message: "command '\(program)' not found in \(searchPath.joined(separator: ":")); give its absolute path")
    }
}
