import FairshareCore
import FairshareSystem

/// Where the daemon's policy comes from and where `admin set-*` writes: a
/// seam, so request handling is tested without files.
public protocol PolicyStore {
    /// Every policy file in the order it applies: the administrator's, then
    /// the daemon's own.
    func sources() throws(SystemError) -> [PolicyCompiler.Source]
    /// The file `admin set-default` and `set-max` write (the last to apply).
    var overridePath: String { get }
    /// Replaces the override file atomically.
    func writeOverride(_ bytes: [UInt8]) throws(SystemError)
    var accounts: PolicyCompiler.Accounts { get }
}

extension PolicyStore {
    /// Reads and checks every file. Fails on I/O errors only; policy errors
    /// are in the result's diagnostics.
    func compile() throws(SystemError) -> PolicyCompiler.Result {
        PolicyCompiler.compile(try sources(), accounts: accounts)
    }
}

/// The policy directories on disk (fairshare-policy(5), FILES).
struct DirectoryPolicyStore: PolicyStore {
    let directories: [String]
    let overridePath: String
    let accounts: PolicyCompiler.Accounts

    init(directories: [String], overrideDirectory: String, users: any UserDatabase) {
        self.directories = directories
        self.overridePath = overrideDirectory + "/" + Self.overrideName
        self.accounts = PolicyFiles.accounts(users)
    }

    /// In the daemon's own directory, which is read after the administrator's.
    static let overrideName = "admin.yaml"

    func sources() throws(SystemError) -> [PolicyCompiler.Source] { try PolicyFiles.sources(directories) }

    func writeOverride(_ bytes: [UInt8]) throws(SystemError) {
        try FileIO.makeDirectory(FileIO.parentDirectory(of: overridePath), mode: 0o755)
        try FileIO.writeAtomically(overridePath, bytes, mode: 0o644)
    }
}
