import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// The drop-in files of login caps and systemd's reload, as a seam: the
/// real one writes below /run/systemd/system and calls systemd, tests
/// keep the files in memory.
public struct LoginCapFiles {
    /// fairshared's drop-ins there now: their text by uid.
    public var present: () -> [UInt32: String]
    /// Writes one (atomically); nil when done, else what went wrong.
    public var write: (UInt32, UnitDropIn) -> String?
    /// Removes one, and its directory when that is left empty.
    public var remove: (UInt32) -> String?
    /// `daemon-reload`; completes with nil or what went wrong.
    public var reloadSystemd: (@escaping (String?) -> Void) -> Void
    /// After a reload: has systemd write the re-read settings of these
    /// uids' running login slices into their cgroups (`LiveSliceSettling`);
    /// completes with the uids nudged and what went wrong.
    public var settle: (Set<UInt32>, @escaping ([UInt32], [String]) -> Void) -> Void

    public init(present: @escaping () -> [UInt32: String], write: @escaping (UInt32, UnitDropIn) -> String?,
                remove: @escaping (UInt32) -> String?, reloadSystemd: @escaping (@escaping (String?) -> Void) -> Void,
                settle: @escaping (Set<UInt32>, @escaping ([UInt32], [String]) -> Void) -> Void = { _, done in done([], []) }) {
        self.present = present
        self.write = write
        self.remove = remove
        self.reloadSystemd = reloadSystemd
        self.settle = settle
    }

    /// The files below `root` (systemd's runtime unit directory), reloaded
    /// through `reload`.
    public static func system(root: String = LoginDropIn.unitDirectory,
                              reload: @escaping (@escaping (String?) -> Void) -> Void,
                              settle: @escaping (Set<UInt32>, @escaping ([UInt32], [String]) -> Void) -> Void) -> LoginCapFiles {
        LoginCapFiles(
            present: {
                var out: [UInt32: String] = [:]
                for name in (try? FileIO.listDirectory(root)) ?? [] {
                    guard let uid = LoginDropIn.uid(ofDirectory: name),
                          let text = try? FileIO.readString(LoginDropIn.path(uid: uid, under: root), limit: 64 << 10) else { continue }
                    out[uid] = text
                }
                return out
            },
            write: { uid, dropIn in
                do throws(SystemError) {
                    try FileIO.makeDirectory(LoginDropIn.directory(uid: uid, under: root), mode: 0o755)
                    try FileIO.writeAtomically(LoginDropIn.path(uid: uid, under: root), Array(dropIn.text.utf8), mode: 0o644)
                    return nil
                } catch {
                    return "\(error)"
                }
            },
            remove: { uid in
                let path = LoginDropIn.path(uid: uid, under: root)
                guard unlink(path) == 0 || errno == ENOENT else { return "\(SystemError.current("unlink", path))" }
                _ = rmdir(LoginDropIn.directory(uid: uid, under: root))   // ENOTEMPTY: the administrator's drop-ins stay
                return nil
            },
            reloadSystemd: reload, settle: settle)
    }
}
