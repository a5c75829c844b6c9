import Dispatch
import FairshareCore
import FairshareSystem

/// The policy's `strays:` (fairshare-policy(5), STRAYS): every `interval`
/// (at most 10 s) the daemon reads `/proc` for processes of accounts from
/// `min_uid` to `max_uid` outside both their login slice and their
/// fairshare slice, keeps what it found for `admin audit`, and with
/// `strays: adopt` moves them into a scope under their `user-UID.slice`.
///
/// A sweep runs on the daemon's queue in parts of `chunk` processes, each
/// part one turn of the queue, so requests are answered between them; the
/// next sweep starts `interval` after this one started (at once if it
/// took longer), never while one runs. The move is asynchronous: the
/// queue never waits for systemd. Confined to that queue (hence
/// `@unchecked Sendable`: its closures hop only onto that queue).
public final class StraySweeper: @unchecked Sendable {
    let queue: DispatchQueue
    let mover: any StrayMover
    let events: any EventLog
    /// The policy in force, read at each sweep.
    let policy: () -> Policy
    let userName: (UInt32) -> String?
    /// Wall-clock seconds, for `admin audit`.
    let now: () -> UInt64
    /// CLOCK_BOOTTIME µs: the clock of `/proc`'s start times.
    let clock: () -> UInt64
    let pids: () -> [Int32]
    let sample: (Int32, ClosedRange<UInt32>) -> ProcessSample?
    let ticksPerSecond: UInt64
    /// Processes read per turn of the queue.
    let chunk: Int

    /// The last completed sweep.
    public private(set) var census = StrayCensus(strays: [], marks: [:])
    private(set) var sweptAt: UInt64?
    private(set) var sweepUsec: UInt64?
    private(set) var processesRead: UInt64 = 0
    private var running = false
    /// Bumped when the policy changes: a sweep scheduled before is dropped.
    private var generation = 0
    /// The policy changed while a sweep ran: sweep again when it is over.
    private var sweepAgain = false
    /// Called when the sweep under way is over (tests).
    private var sweepDone: (() -> Void)?
    private var stopped = false
    /// Pids being moved now: not moved twice.
    private var moving: Set<Int32> = []
    /// Groups systemd refused, by uid and cgroup: journalled once.
    private var refused: Set<String> = []
    /// Groups journalled as found (report mode), by uid and cgroup: once
    /// while they last.
    private var reported: Set<String> = []

    public init(queue: DispatchQueue, mover: any StrayMover, events: any EventLog, policy: @escaping () -> Policy,
                userName: @escaping (UInt32) -> String?, now: @escaping () -> UInt64,
                clock: @escaping () -> UInt64 = { BootClock.microseconds() },
                pids: @escaping () -> [Int32] = { ProcessTable.pids() },
                sample: @escaping (Int32, ClosedRange<UInt32>) -> ProcessSample? = { ProcessTable.sample(pid: $0, uids: $1) },
                ticksPerSecond: UInt64 = ProcessTable.ticksPerSecond, chunk: Int = 256) {
        self.queue = queue
        self.mover = mover
        self.events = events
        self.policy = policy
        self.userName = userName
        self.now = now
        self.clock = clock
        self.pids = pids
        self.sample = sample
        self.ticksPerSecond = ticksPerSecond
        self.chunk = max(chunk, 1)
    }

    /// Sweeps now, then every interval (re-read from the policy each time).
    public func start() {
        stopped = false
        sweep()
    }

    public func stop() { stopped = true }

    /// A new policy is in force: sweep with it now (a mode, interval or
    /// ignore list applies at once), and count the interval from here.
    public func policyChanged() {
        guard !stopped else { return }
        generation += 1
        if running { sweepAgain = true } else { sweep() }
    }

    /// One sweep, whose parts run on the queue; `done` when it is over.
    func sweep(done: (() -> Void)? = nil) {
        guard !running else { done?(); return }
        sweepDone = done
        let policy = policy(), strays = policy.strays
        let started = clock()
        guard strays.mode != .off, let uids = policy.loginUIDs else {
            census = StrayCensus(strays: [], marks: [:])
            sweptAt = nil
            scheduleNext(after: strays.interval, from: started)
            finishSweep()
            return
        }
        running = true
        let all = pids()
        var samples: [ProcessSample] = []
        samples.reserveCapacity(64)
        read(all, from: 0, into: samples, uids: uids, strays: strays, started: started)
    }

    /// One part of a sweep: `chunk` processes, then the next part as a
    /// new turn of the queue.
    private func read(_ all: [Int32], from index: Int, into found: [ProcessSample], uids: ClosedRange<UInt32>, strays: StrayPolicy,
                      started: UInt64) {
        var samples = found
        let end = min(index + chunk, all.count)
        for pid in all[index..<end] {
            if let s = sample(pid, uids), s.cgroup != nil { samples.append(s) }
        }
        guard end >= all.count else {
            let sofar = samples
            queue.async { [self] in read(all, from: end, into: sofar, uids: uids, strays: strays, started: started) }
            return
        }
        finish(samples, read: all.count, uids: uids, strays: strays, started: started)
        finishSweep()
    }

    private func finishSweep() {
        let done = sweepDone
        sweepDone = nil
        done?()
        if sweepAgain {
            sweepAgain = false
            generation += 1
            sweep()
        }
    }

    private func finish(_ samples: [ProcessSample], read: Int, uids: ClosedRange<UInt32>, strays: StrayPolicy, started: UInt64) {
        let at = clock()
        census = StrayCensus.take(samples, uids: uids, ignore: strays.ignore, previous: census.marks, nowUsec: at, ticksPerSecond: ticksPerSecond)
        sweptAt = now()
        sweepUsec = at >= started ? at - started : 0
        processesRead = UInt64(read)
        running = false
        let (found, present) = census.groupsFirstSeen(reported: reported)
        reported = present
        if strays.mode == .adopt {
            for adoption in census.adoptions { adopt(adoption) }
        } else {
            for group in found { journalFound(group) }
        }
        scheduleNext(after: strays.interval, from: started)
    }

    private func scheduleNext(after interval: TimeSpan, from started: UInt64) {
        guard !stopped else { return }
        let elapsed = clock() &- started
        let wait = interval.seconds.multipliedSaturating(by: 1_000_000) > elapsed ? interval.seconds * 1_000_000 - elapsed : 0
        let scheduled = generation
        queue.asyncAfter(deadline: .now() + .microseconds(Int(min(wait, 10_000_000)))) { [self] in
            guard !stopped, generation == scheduled else { return }
            sweep()
        }
    }

    /// Report mode: one journal line per group when it is first seen.
    private func journalFound(_ group: StrayAdoption) {
        let user = userName(group.uid) ?? "#\(group.uid)"
        let pids = group.processes.map { String($0.pid) }.joined(separator: " ")
        let count = group.processes.count
        events.record(DaemonEvent(.strayFound, "found \(count) stray process\(count == 1 ? "" : "es") of \(user) in \(group.unit) (pid \(pids), \(group.processes[0].name)): outside the login cap; 'strays: adopt' would move them under \(group.slice)",
                                  uid: group.uid, user: user,
                                  fields: [(name: "FAIRSHARE_PIDS", value: pids), (name: "FAIRSHARE_UNIT", value: group.unit),
                                           (name: "FAIRSHARE_CGROUP", value: group.cgroup)]))
    }

    /// Moves one group of strays into its scope under the login slice.
    /// Only processes that are still the ones found (pid and start time,
    /// the same uid) go; one that exited since is no error.
    private func adopt(_ adoption: StrayAdoption) {
        guard let uids = policy().loginUIDs, uids.contains(adoption.uid), adoption.uid != 0 else { return }
        let current = adoption.processes.filter { stray in
            !moving.contains(stray.pid) && isStill(stray, uids: uids)
        }
        guard let lead = current.first else { return }
        let pids = current.map(\.pid)
        let user = userName(adoption.uid) ?? "#\(adoption.uid)"
        let scope = UnitNames.strayScope(uid: adoption.uid, pid: lead.pid), slice = adoption.slice
        let key = adoption.key
        moving.formUnion(pids)
        let description = UnitText(replacingControlCharactersIn: "fairshare: stray processes of \(user) from \(adoption.unit)")
        mover.adopt(pids, into: scope, slice: slice, description: description) { [self] result in
            moving.subtract(pids)
            let pidList = pids.map(String.init).joined(separator: " ")
            let fields = [(name: "FAIRSHARE_PIDS", value: pidList), (name: "FAIRSHARE_UNIT", value: adoption.unit),
                          (name: "FAIRSHARE_CGROUP", value: adoption.cgroup), (name: "FAIRSHARE_SCOPE", value: scope.string)]
            switch result {
            case .success:
                refused.remove(key)
                census.strays.removeAll { pids.contains($0.pid) }
                // A pid that names another process now was recycled between the
                // check and the move (the one window pids leave).
                let changed = current.filter { stray in
                    sample(stray.pid, uids).map { $0.startTicks != stray.startTicks || $0.uid != stray.uid } ?? false
                }
                events.record(DaemonEvent(.strayAdopted, "adopted \(pids.count) stray process\(pids.count == 1 ? "" : "es") of \(user) (pid \(pidList), \(lead.name)) from \(adoption.unit) into \(scope) in \(slice)",
                                          uid: adoption.uid, user: user, fields: fields))
                if !changed.isEmpty {
                    events.record(DaemonEvent(.error, "pid \(changed.map { String($0.pid) }.joined(separator: " ")) changed while it was moved into \(scope) (a recycled pid?); check \(scope)",
                                              uid: adoption.uid, user: user, fields: fields))
                }
            case .failure(let error):
                // Gone in the meantime: nothing to adopt, nothing wrong.
                let survivors = current.filter { isStill($0, uids: uids) }
                guard !survivors.isEmpty, refused.insert(key).inserted else { return }
                events.record(DaemonEvent(.error, "could not adopt the stray processes of \(user) (pid \(pidList)) from \(adoption.unit) into \(scope): \(error); they stay listed by 'fairshare admin audit'",
                                          uid: adoption.uid, user: user, fields: fields))
            }
        }
    }

    /// Whether `stray`'s pid still names that process, with the same uid.
    private func isStill(_ stray: Stray, uids: ClosedRange<UInt32>) -> Bool {
        guard let now = sample(stray.pid, uids) else { return false }
        return now.startTicks == stray.startTicks && now.uid == stray.uid && now.runsEntirelyAsUID && !now.zombie
    }

    /// Replies stop adding rows past this size (like `admin list`'s pages).
    static let replyBytes = WireProtocol.maxLineBytes * 3 / 4

    /// `admin audit`: the last sweep's strays.
    public func audit() -> StrayAuditReply {
        let strays = policy().strays
        var rows: [StrayRow] = [], size = 0
        for stray in census.strays {
            let row = StrayRow(pid: stray.pid, uid: stray.uid, user: userName(stray.uid) ?? "#\(stray.uid)", name: stray.name, unit: stray.unit,
                               cgroup: stray.cgroup, cpuPercent: stray.cpuPercent, rss: stray.rssBytes)
            size += row.json.serialized.utf8.count + 1
            if size > Self.replyBytes { break }
            rows.append(row)
        }
        return StrayAuditReply(mode: strays.mode.rawValue, interval: strays.interval.seconds, sweptAt: sweptAt, sweepUsec: sweepUsec,
                               processes: processesRead, strays: rows, more: UInt64(census.strays.count - rows.count))
    }
}
