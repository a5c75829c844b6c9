/// A process named by pid and its start time (field 22 of
/// `/proc/PID/stat`, in clock ticks since boot): together they never name
/// a recycled pid. With its user ids, so a process that has since run a
/// setuid program (same pid, same start time) is told apart.
public struct ProcessIdentity: Equatable, Sendable {
    public var pid: Int32
    public var startTime: UInt64
    /// The real uid.
    public var uid: UInt32
    public var effectiveUID: UInt32
    public var savedUID: UInt32

    public init(pid: Int32, startTime: UInt64, uid: UInt32, effectiveUID: UInt32? = nil, savedUID: UInt32? = nil) {
        self.pid = pid
        self.startTime = startTime
        self.uid = uid
        self.effectiveUID = effectiveUID ?? uid
        self.savedUID = savedUID ?? uid
    }

    /// Whether the process's real, effective and saved uid are all `uid`:
    /// a setuid program started by `uid` is not.
    public func runsEntirely(as uid: UInt32) -> Bool {
        self.uid == uid && effectiveUID == uid && savedUID == uid
    }

    /// Reads the process's start time and real uid from `/proc`.
    public static func read(pid: Int32, procRoot: String = "/proc") throws(SystemError) -> ProcessIdentity {
        let stat = try FileIO.readString("\(procRoot)/\(pid)/stat", limit: 4096)
        // comm may hold spaces and parentheses: fields start after the last ')'.
        guard let close = stat.lastIndex(of: ")") else { throw SystemError("parse", "\(procRoot)/\(pid)/stat", errno: .invalidArgument) }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state), so field 22 is fields[19].
        guard fields.count > 19, let start = UInt64(fields[19]) else {
            throw SystemError("parse", "\(procRoot)/\(pid)/stat", errno: .invalidArgument)
        }
        let status = try FileIO.readString("\(procRoot)/\(pid)/status", limit: 16384)
        // "Uid:\treal\teffective\tsaved\tfilesystem"
        guard let uidLine = status.split(separator: "\n").first(where: { $0.hasPrefix("Uid:") }),
              case let uids = uidLine.split(whereSeparator: { $0 == "\t" || $0 == " " }).dropFirst().compactMap({ UInt32($0) }),
              uids.count >= 3
        else { throw SystemError("parse", "\(procRoot)/\(pid)/status", errno: .invalidArgument) }
        return ProcessIdentity(pid: pid, startTime: start, uid: uids[0], effectiveUID: uids[1], savedUID: uids[2])
    }

    /// True when `pid` still names this very process.
    public func isStillAlive(procRoot: String = "/proc") -> Bool {
        guard let now = try? ProcessIdentity.read(pid: pid, procRoot: procRoot) else { return false }
        return now == self
    }
}
