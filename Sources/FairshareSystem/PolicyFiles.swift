import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// Finds and reads policy files: `*.yaml` in each directory in lexical
/// order (hidden files skipped), or a file named directly. The one place
/// the daemon, `fairshare admin check` and `fairshared --check-policy`
/// read policy from disk.
public enum PolicyFiles {
    /// Read up to here, so the parser can say how large a too-large file is.
    static let readLimit = 16 << 20

    /// The sources of `paths`, in order. A directory that does not exist
    /// holds no files; a file that does not exist is an error.
    public static func sources(_ paths: [String]) throws(SystemError) -> [PolicyCompiler.Source] {
        var sources: [PolicyCompiler.Source] = []
        for path in paths {
            if isDirectory(path) {
                for name in try FileIO.listDirectory(path) where name.hasSuffix(".yaml") && !name.hasPrefix(".") {
                    let file = path.hasSuffix("/") ? path + name : path + "/" + name
                    sources.append(PolicyCompiler.Source(path: file, bytes: try FileIO.read(file, limit: readLimit)))
                }
            } else if FileIO.exists(path) || !looksLikeDirectory(path) {
                sources.append(PolicyCompiler.Source(path: path, bytes: try FileIO.read(path, limit: readLimit)))
            }
        }
        return sources
    }

    /// Users and groups as NSS knows them, for the policy's warnings.
    public static func accounts(_ users: any UserDatabase) -> PolicyCompiler.Accounts {
        PolicyCompiler.Accounts(userExists: { users.uid(ofUser: $0) != nil }, groupExists: { users.gid(ofGroup: $0) != nil })
    }

    private static func isDirectory(_ path: String) -> Bool {
        var st = stat()
        return stat(path, &st) == 0 && (st.st_mode & S_IFMT) == S_IFDIR
    }

    /// A missing `…/policy.d` is an empty directory, not a missing file.
    private static func looksLikeDirectory(_ path: String) -> Bool {
        path.hasSuffix("/") || path.hasSuffix(".d")
    }
}
