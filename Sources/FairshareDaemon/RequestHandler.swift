import FairshareCore
import FairshareSystem

/// Decides and carries out client requests. All of it runs on the daemon's
/// serial queue; effects go through the `SliceController` seam, so the same
/// handler is tested with a fake and against real systemd.
public final class RequestHandler {
    public internal(set) var policy: Policy
    public internal(set) var state: DaemonState
    /// The machine's CPUs and memory, before the policy's reserve.
    public var machine: Capacity

    let controller: any SliceController
    let store: any StateStore
    let policyStore: any PolicyStore
    /// Where job output is kept: `DIR/UID/ID.log`.
    let jobLogDirectory: String
    let events: any EventLog
    /// Wall-clock seconds since the epoch: what users see and state.json keeps.
    let now: () -> UInt64
    /// Boot-clock seconds (`CLOCK_BOOTTIME`): what leases and idle release
    /// count on, so a wall-clock step moves neither.
    let uptime: () -> UInt64
    var leaseDeadlines = LeaseDeadlines()
    /// Re-reads a process's identity (a seam so tests need no /proc).
    let processLookup: (Int32) -> ProcessIdentity?
    /// Whether the process a pidfd names has not exited.
    let processAlive: (ProcessHandle) -> Bool
    /// Resolves `revoke`'s target: a user name, or a uid in digits.
    let uidLookup: (String) -> UInt32?
    /// A user's groups, for their policy when they are not the caller.
    let groupLookup: (String) -> [String]?
    /// Whether an IO device a client names exists (a device node, or a
    /// path on the device): asked only for requests, so a policy naming a
    /// missing device still loads.
    let deviceExists: (DevicePath) -> Bool
    /// The accounts disk quotas apply to (`SystemUserDatabase.regularUsers`).
    let regularUsers: () -> [(name: String, uid: UInt32)]
    let quotas: QuotaControl
    /// The quota set per user, so a reload that drops one clears it.
    var appliedQuotas: [UInt32: DiskQuota] = [:]
    /// The machine's GPUs, read at start and on reload.
    public var gpus: GPUInventory
    let discoverGPUs: () -> GPUInventory
    let serializer = UserSerializer()
    /// Called with each policy put in force (reload, `admin set-*`): the login caps.
    public var policyInstalled: ((Policy, _ by: String) -> Void)?
    /// `admin audit`: the stray sweep's last findings (nil: no sweeper).
    public var strayAudit: (() -> StrayAuditReply)?
    /// Jobs being stopped for writing past the output cap.
    var jobsBeingCapped: Set<UInt64> = []
    /// What systemd last said about each running job (pid, state), from
    /// its signals and the one read at start-up.
    var trackedJobs: [UInt64: JobUnitState] = [:]
    /// Called when a job has started (the runtime wakes its output watch).
    public var jobStarted: (() -> Void)?
    /// The output kept per job (fairshare(1), logs): a job that writes more
    /// is stopped and its log cut to this size.
    public var jobLogCap: UInt64 = 64 << 20
    /// The login slices `status` and `list` report on.
    public var loginSlices = LoginSliceReader.system
    /// The last CPU reading per lister and slice, for `list`'s CPU % "since
    /// your previous listing": (wall µs, CPU µs). Kept per lister, so one
    /// that polls (fairshare-web) does not shorten an admin's interval.
    var cpuSamples: [ListerSlice: (wallUsec: UInt64, cpuUsec: UInt64)] = [:]
    /// Per slice: its CPU time at the last idle check, and since when it has
    /// had no tasks and used no CPU.
    var idleWatch: [UInt32: (cpuUsec: UInt64?, idleSince: UInt64)] = [:]
    var lastIdleCheck: UInt64 = 0
    /// Whether the kernel has `memory.low` (cgroup v2): only then does
    /// `sharing: lend` lend memory (SliceShape).
    public var memoryProtection: Bool = CgroupPressure.memoryProtection()
    /// The shape each slice was last given, so a policy change re-applies
    /// only slices whose shape changed.
    var appliedShapes: [UInt32: SliceShape] = [:]
    /// Memory reclaim for lending slices: borrowers' lowered `MemoryHigh=`.
    var reclaim = MemoryReclaim()
    var lastReclaimCheck: UInt64 = 0
    /// The last CPU reading per slice for `status`'s "in use" (wall µs, CPU µs).
    var statusCPUSamples: [UInt32: (wallUsec: UInt64, cpuUsec: UInt64)] = [:]
    /// Requests by operation and outcome, and their latency (`metrics`).
    var counters = RequestCounters()
    /// The latest refused or denied requests (`metrics`).
    var refusals = RefusalLog()
    /// When the daemon started, seconds since the epoch (`metrics`).
    var started: UInt64 = 0
    /// A monotonic clock in µs, for request latency (a seam for tests).
    public var clockUsec: () -> UInt64 = { BootClock.microseconds() }

    public init(policy: Policy, policyStore: any PolicyStore, state: DaemonState, machine: Capacity,
                controller: any SliceController, store: any StateStore, events: any EventLog,
                now: @escaping () -> UInt64,
                uptime: @escaping () -> UInt64 = { BootClock.seconds() },
                processLookup: @escaping (Int32) -> ProcessIdentity? = { try? ProcessIdentity.read(pid: $0) },
                processAlive: @escaping (ProcessHandle) -> Bool = { $0.isAlive },
                uidLookup: @escaping (String) -> UInt32? = { SystemUserDatabase().uid(ofUser: $0) ?? UInt32($0) },
                groupLookup: @escaping (String) -> [String]? = { SystemUserDatabase().groupNames(ofUser: $0) },
                regularUsers: @escaping () -> [(name: String, uid: UInt32)] = { SystemUserDatabase().regularUsers() },
                quotas: QuotaControl = .system,
                deviceExists: @escaping (DevicePath) -> Bool = { FileIO.exists($0.string) },
                discoverGPUs: @escaping () -> GPUInventory = { GPUInventory(nodes: GPUDevices.discover(), controlNodes: GPUDevices.presentControlNodes()) },
                jobLogDirectory: String = "/var/lib/fairshare/jobs") {
        self.discoverGPUs = discoverGPUs
        self.deviceExists = deviceExists
        self.gpus = discoverGPUs()
        self.regularUsers = regularUsers
        self.quotas = quotas
        self.jobLogDirectory = jobLogDirectory
        self.policy = policy
        self.policyStore = policyStore
        self.state = state
        self.machine = machine
        self.controller = controller
        self.store = store
        self.events = events
        self.now = now
        self.uptime = uptime
        self.started = now()
        self.processLookup = processLookup
        self.processAlive = processAlive
        self.uidLookup = uidLookup
        self.groupLookup = groupLookup
        controller.jobUnitChanged = { [weak self] unit, reading in self?.jobUnitChanged(unit, reading) }
    }

    /// Operations waiting or running, for draining on shutdown.
    public var busy: Bool { serializer.busyUsers > 0 }

    public func handle(_ request: ClientRequest, from caller: Caller, reply answer: @escaping (Reply) -> Void) {
        let begun = clockUsec()
        let sendReply: (Reply) -> Void = { [self] r in
            count(r, of: request, by: caller, since: begun)
            answer(r)
        }
        guard caller.role >= .member else {
            sendReply(.failure(.notInFairshareGroup(caller.userName)))
            return
        }
        // A pending notice (say, a revocation) rides on the caller's next reply.
        let reply: (Reply) -> Void = { [self] r in sendReply(attachingNotice(to: r, for: caller.uid)) }
        if let refusal = Self.refusal(of: request, by: caller) { return reply(.failure(refusal)) }
        switch request {
        case .status: reply(.success(status(for: caller).json))
        case .whoami: reply(.success(whoami(for: caller).json))
        case .request(let r):
            serializer.run(uid: caller.uid) { [self] done in
                grant(r, to: caller) { reply($0); done() }
            }
        case .release:
            serializer.run(uid: caller.uid) { [self] done in
                release(for: caller) { reply($0); done() }
            }
        case .exec(let e):
            serializer.run(uid: caller.uid) { [self] done in
                exec(e, for: caller) { reply($0); done() }
            }
        case .list(let after): reply(.success(list(after: after, for: caller.uid).json))
        case .revoke(let user):
            switch revokeTarget(user) {
            case .failure(let refusal): reply(.failure(refusal))
            case .success(let uid):
                serializer.run(uid: uid) { [self] done in
                    revoke(uid: uid, by: caller) { reply($0); done() }
                }
            }
        case .reload: reload(by: caller.userName, reply: reply)
        case .setPolicy(let change): setPolicy(change, by: caller.userName, reply: reply)
        case .showPolicy(let user):
            let target = Self.policyTarget(user, for: caller)
            reply(showPolicy(user: target.user, groups: target.groups))
        case .run(let r):
            serializer.run(uid: caller.uid) { [self] done in
                run(r, for: caller) { reply($0); done() }
            }
        case .jobs(let all, let after): reply(jobs(all: all, after: after, for: caller))
        case .logs(let job, let offset): reply(logs(job: job, offset: offset, for: caller))
        case .jobStatus(let job): reply(jobStatus(job, for: caller))
        case .audit:
            let audit = strayAudit?() ?? StrayAuditReply(mode: StrayMode.off.rawValue, interval: policy.strays.interval.seconds,
                                                         sweptAt: nil, sweepUsec: nil, processes: 0, strays: [])
            reply(.success(audit.json))
        case .stop(let job):
            serializer.run(uid: caller.uid) { [self] done in
                stop(job: job, by: caller) { reply($0); done() }
            }
        case .metrics: reply(.success(metrics().json))
        }
    }

    /// How long before a lease ends the user's commands start to warn.
    static let leaseWarning: UInt64 = 600

    private func attachingNotice(to reply: Reply, for uid: UInt32) -> Reply {
        var extra = JSONObject()
        if let notice = state.notices[uid] {
            state.notices[uid] = nil
            persist()
            extra["notice"] = .string(notice)
        }
        if let left = leaseLeft(uid), left <= Self.leaseWarning {
            extra["warning"] = .string("your lease ends in \(TimeSpan(seconds: left)); extend it with 'fairshare request --for DURATION'")
        }
        guard !extra.entries.isEmpty else { return reply }
        switch reply {
        case .success(.object(var o)):
            for e in extra.entries { o[e.key] = e.value }
            return .success(.object(o))
        case .failure(var e):
            for x in extra.entries { e.details[x.key] = x.value }
            return .failure(e)
        default:
            return reply
        }
    }

    /// Saves the state; a failure is journalled, not fatal (systemd holds the slices).
    func persist() {
        do {
            try store.save(state)
        } catch {
            events.record(DaemonEvent(.error, "could not save state: \(error); systemd still holds the slices and they are adopted on restart"))
        }
    }

    /// A failed systemd call as the client sees it, the bus error's name in `dbus_error`.
    static func systemdFailure(_ error: ControllerError) -> ReplyError {
        var details: JSONObject = [:]
        if let name = error.busErrorName { details["dbus_error"] = .string(name) }
        return ReplyError(code: .systemd, message: "systemd refused: \(error.message)", details: details)
    }
}
