/// One sweep's findings from the processes read: the strays, with CPU %
/// from the CPU time each had at the previous sweep, and the marks to
/// compare the next sweep with. Pure: the daemon reads `/proc`.
public struct StrayCensus: Equatable, Sendable {
    /// What a process had used when last seen.
    public struct CPUMark: Equatable, Sendable {
        public var startTicks: UInt64
        public var cpuTicks: UInt64
        /// CLOCK_BOOTTIME, µs.
        public var atUsec: UInt64

        public init(startTicks: UInt64, cpuTicks: UInt64, atUsec: UInt64) {
            self.startTicks = startTicks
            self.cpuTicks = cpuTicks
            self.atUsec = atUsec
        }
    }

    public var strays: [Stray]
    /// By pid, for the strays only (so the table stays as small as they are).
    public var marks: [Int32: CPUMark]

    public init(strays: [Stray] = [], marks: [Int32: CPUMark] = [:]) {
        self.strays = strays
        self.marks = marks
    }

    /// `samples` with their cgroups read; `nowUsec` on CLOCK_BOOTTIME, the
    /// clock `/proc/PID/stat`'s start times count on; `ticksPerSecond`
    /// is `sysconf(_SC_CLK_TCK)`.
    public static func take(_ samples: [ProcessSample], uids: ClosedRange<UInt32>?, ignore: [UnitGlob],
                            previous: [Int32: CPUMark], nowUsec: UInt64, ticksPerSecond: UInt64) -> StrayCensus {
        var strays: [Stray] = [], marks: [Int32: CPUMark] = [:]
        let usecPerTick = 1_000_000 / max(ticksPerSecond, 1)
        for s in samples {
            guard let cgroup = s.cgroup else { continue }
            let placement = ProcessPlacement.classify(uid: s.uid, entirely: s.runsEntirelyAsUID, zombie: s.zombie, cgroup: cgroup,
                                                      uids: uids, ignore: ignore)
            guard case .stray(let unit) = placement else { continue }
            let mark = CPUMark(startTicks: s.startTicks, cpuTicks: s.cpuTicks, atUsec: nowUsec)
            // The same process (pid and start time) as last time: since then;
            // otherwise since it started.
            let base = previous[s.pid].flatMap { $0.startTicks == s.startTicks ? $0 : nil }
                ?? CPUMark(startTicks: s.startTicks, cpuTicks: 0, atUsec: s.startTicks.multipliedSaturating(by: usecPerTick))
            var percent: Double?
            if nowUsec > base.atUsec, s.cpuTicks >= base.cpuTicks {
                let used = Double(s.cpuTicks - base.cpuTicks) * Double(usecPerTick)
                percent = (used / Double(nowUsec - base.atUsec) * 1000).rounded() / 10
            }
            marks[s.pid] = mark
            strays.append(Stray(pid: s.pid, uid: s.uid, name: s.name, unit: unit, cgroup: cgroup, cpuPercent: percent,
                                rssBytes: s.rssBytes, startTicks: s.startTicks))
        }
        strays.sort { ($0.uid, $0.pid) < ($1.uid, $1.pid) }
        return StrayCensus(strays: strays, marks: marks)
    }

    /// What `strays: adopt` moves: the strays of one uid in one cgroup
    /// together, into one scope under that uid's login slice.
    public var adoptions: [StrayAdoption] {
        var groups: [String: [Stray]] = [:]
        for stray in strays { groups["\(stray.uid) \(stray.cgroup)", default: []].append(stray) }
        return groups.values.map { members in
            let sorted = members.sorted { $0.pid < $1.pid }
            return StrayAdoption(uid: sorted[0].uid, unit: sorted[0].unit, cgroup: sorted[0].cgroup, processes: sorted)
        }.sorted { ($0.uid, $0.processes[0].pid) < ($1.uid, $1.processes[0].pid) }
    }
}

/// The strays of one uid in one cgroup, and where they go.
public struct StrayAdoption: Equatable, Sendable {
    public var uid: UInt32
    /// The unit they leave.
    public var unit: String
    public var cgroup: String
    /// By pid, at least one.
    public var processes: [Stray]

    public var scope: UnitName { UnitNames.strayScope(uid: uid, pid: processes[0].pid) }
    public var slice: UnitName { UnitNames.loginSlice(uid: uid) }
    /// The account and cgroup: one group across sweeps.
    public var key: String { "\(uid) \(cgroup)" }
}

extension StrayCensus {
    /// The groups (an account's strays in one cgroup) whose key is not in
    /// `reported`, and the keys of every group now: what to remember, so a
    /// group is reported once while it lasts and again if it comes back.
    public func groupsFirstSeen(reported: Set<String>) -> (new: [StrayAdoption], now: Set<String>) {
        let groups = adoptions
        return (groups.filter { !reported.contains($0.key) }, Set(groups.map(\.key)))
    }
}
