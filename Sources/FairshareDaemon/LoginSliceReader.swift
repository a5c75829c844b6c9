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

    /// Usage is read at most ten times a second per uid, as the daemon's
    /// controller reads its slices': `status` at thousands of requests a
    /// second reads the login slice's files once per 100 ms, not per request.
    public static var system: LoginSliceReader {
        let recent = RecentLoginUsage()
        return LoginSliceReader(live: { LoginSlices.live() },
                                usage: { uid in recent.value(uid) },
                                userName: { SystemUserDatabase().userName(uid: $0) })
    }
    public static var none: LoginSliceReader { LoginSliceReader(live: { [] }, usage: { _ in nil }, userName: { _ in nil }) }
}

/// The login slices' usage kept for a moment (`RecentReadings`, 100 ms),
/// on the daemon's queue.
private final class RecentLoginUsage {
    private var readings = RecentReadings<UInt32, LoginUsageReply?>(maxAgeUSec: UsageFreshness.maxAgeUSec)

    func value(_ uid: UInt32) -> LoginUsageReply? {
        readings.value(for: uid, nowUSec: BootClock.microseconds()) { LoginSlices.usage(uid: uid) }
    }
}
