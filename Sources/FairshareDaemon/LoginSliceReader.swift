import FairshareCore
import FairshareSystem

/// The login slices as `status` and `admin list` read them, as a seam:
/// the real one reads the cgroup files and NSS, tests say what they want.
public struct LoginSliceReader {
    /// The uids with a login running now.
    public var live: () -> [UInt32]
    /// What a uid's logins use now; nil when none runs.
    public var usage: (UInt32) -> LoginUsageReply?
    public var userName: (UInt32) -> String?

    public init(live: @escaping () -> [UInt32], usage: @escaping (UInt32) -> LoginUsageReply?, userName: @escaping (UInt32) -> String?) {
        self.live = live
        self.usage = usage
        self.userName = userName
    }

    public static var system: LoginSliceReader {
        LoginSliceReader(live: { LoginSlices.live() }, usage: { LoginSlices.usage(uid: $0) }, userName: { SystemUserDatabase().userName(uid: $0) })
    }
    public static var none: LoginSliceReader { LoginSliceReader(live: { [] }, usage: { _ in nil }, userName: { _ in nil }) }
}
