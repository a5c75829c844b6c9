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
    /// Jobs being stopped for writing past the output cap.
    var jobsBeingCapped: Set<UInt64> = []
    /// The output kept per job (fairshare(1), logs): a job that writes more
    /// is stopped and its log cut to this size.
    public var jobLogCap: UInt64 = 64 << 20
    /// The last CPU reading per slice, for `list`'s CPU %: (wall µs, CPU µs).
    private var cpuSamples: [UInt32: (wallUsec: UInt64, cpuUsec: UInt64)] = [:]
    /// Per slice: its CPU time at the last idle check, and since when it has
    /// had no tasks and used no CPU.
    private var idleWatch: [UInt32: (cpuUsec: UInt64?, idleSince: UInt64)] = [:]
    private var lastIdleCheck: UInt64 = 0

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
        self.processLookup = processLookup
        self.processAlive = processAlive
        self.uidLookup = uidLookup
        self.groupLookup = groupLookup
    }

    /// Operations waiting or running, for draining on shutdown.
    public var busy: Bool { serializer.busyUsers > 0 }

    public func handle(_ request: ClientRequest, from caller: Caller, reply sendReply: @escaping (Reply) -> Void) {
        guard caller.role >= .member else {
            sendReply(.failure(.notInFairshareGroup(caller.userName)))
            return
        }
        // A pending notice (say, a revocation) rides on the caller's next reply.
        let reply: (Reply) -> Void = { [self] r in sendReply(attachingNotice(to: r, for: caller.uid)) }
        switch request {
        case .status: reply(.success(status(for: caller)))
        case .whoami: reply(.success(whoami(for: caller)))
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
        case .list(let after):
            guard caller.role >= .reader else {
                reply(.failure(ReplyError(code: .permissionDenied, message: "only root, admin_group or reader_group may list everyone's allocations")))
                return
            }
            reply(.success(list(after: after)))
        case .revoke(let user):
            guard caller.role >= .admin else {
                reply(.failure(ReplyError(code: .permissionDenied, message: "only root and members of admin_group may revoke allocations")))
                return
            }
            let found: UInt32?
            switch user {
            case .uid(let uid): found = uid
            case .name(let name): found = uidLookup(name)
            }
            guard let uid = found else {
                reply(.failure(ReplyError(code: .badRequest, message: "no such user '\(user)'")))
                return
            }
            serializer.run(uid: uid) { [self] done in
                revoke(uid: uid, by: caller) { reply($0); done() }
            }
        case .reload:
            guard caller.role >= .admin else { return reply(.failure(.adminOnly("reload the policy"))) }
            reload(by: caller.userName, reply: reply)
        case .setPolicy(let change):
            guard caller.role >= .admin else { return reply(.failure(.adminOnly("change the policy"))) }
            setPolicy(change, by: caller.userName, reply: reply)
        case .showPolicy(let user):
            if let user, user != caller.userName, caller.role < .reader {
                return reply(.failure(ReplyError(code: .permissionDenied,
                                                 message: "only root, admin_group or reader_group may see another user's policy")))
            }
            reply(showPolicy(user: user ?? caller.userName, groups: user == nil || user == caller.userName ? caller.groupNames : nil))
        case .run(let r):
            serializer.run(uid: caller.uid) { [self] done in
                run(r, for: caller) { reply($0); done() }
            }
        case .jobs(let all, let after): reply(jobs(all: all, after: after, for: caller))
        case .logs(let job, let offset): reply(logs(job: job, offset: offset, for: caller))
        case .jobStatus(let job): reply(jobStatus(job, for: caller))
        case .stop(let job):
            serializer.run(uid: caller.uid) { [self] done in
                stop(job: job, by: caller) { reply($0); done() }
            }
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

    /// Releases allocations idle for the policy's `idle_release`: no tasks in
    /// the slice and no CPU used since the previous check. Checked every
    /// tenth of the idle time (1 s to 30 s), so each slice costs a few
    /// property reads per check, not per second.
    public func releaseIdle() {
        guard let limit = policy.idleRelease?.seconds else { idleWatch = [:]; return }
        let t = uptime()
        guard t >= lastIdleCheck.addingSaturating(min(30, max(1, limit / 10))) else { return }
        lastIdleCheck = t
        for (uid, a) in state.allocations {
            let usage = controller.usage(of: a.sliceName)
            let previous = idleWatch[uid]
            let quiet = usage.tasks == 0 && previous != nil && usage.cpuUsec == previous?.cpuUsec
            let since = quiet ? previous!.idleSince : t
            idleWatch[uid] = (usage.cpuUsec, since)
            guard quiet, t - since >= limit else { continue }
            serializer.run(uid: uid) { [self] done in
                guard let held = state.allocations[uid] else { done(); return }
                controller.stopSlice(held.sliceName) { [self] result in
                    if case .success = result {
                        forget(uid)
                        state.notices[uid] = "your allocation of \(held.resources.summary) was idle for \(TimeSpan(seconds: limit)) and was released"
                        persist()
                        events.record(DaemonEvent(.idleReleased, "released the idle allocation of \(held.user)",
                                                  uid: uid, user: held.user, resources: held.resources))
                    }
                    done()
                }
            }
        }
    }

    /// Applies the pool's capacity to `fairshare.slice` (at start and after
    /// a reload, since the reserve may have changed).
    public func capPool() {
        let cap = capacity
        controller.capPool(UnitNames.root, capacity: cap) { [self] result in
            if case .failure(let error) = result {
                events.record(DaemonEvent(.error, "could not cap \(UnitNames.root) at \(cap.summary): \(error)"))
            }
        }
    }

    /// Ends the leases that are due: stops their slices and leaves a notice.
    /// Called by the daemon's timer.
    public func expireLeases() {
        for a in state.allocations.values where leaseLeft(a.uid) == 0 {
            serializer.run(uid: a.uid) { [self] done in
                // Re-checked in turn: a request may have extended it meanwhile.
                guard let held = state.allocations[a.uid], leaseLeft(held.uid) == 0 else { done(); return }
                controller.stopSlice(held.sliceName) { [self] result in
                    if case .success = result {
                        forget(a.uid)
                        state.notices[a.uid] = "your lease of \(held.resources.summary) ended; its slice was stopped"
                        persist()
                        events.record(DaemonEvent(.leaseExpired, "the lease of \(held.user) ended; \(held.sliceName) stopped",
                                                  uid: a.uid, user: held.user, resources: held.resources))
                    } else if case .failure(let error) = result {
                        events.record(DaemonEvent(.error, "could not stop \(held.sliceName) at the end of its lease: \(error)", uid: a.uid))
                    }
                    done()
                }
            }
        }
    }

    /// Seconds left of `uid`'s lease on the boot clock; nil without one.
    func leaseLeft(_ uid: UInt32) -> UInt64? {
        guard let end = state.allocations[uid]?.leaseEnd else { return nil }
        let boot = uptime()
        let deadline = leaseDeadlines.deadline(uid: uid, epochEnd: end, wallNow: now(), bootNow: boot)
        return deadline > boot ? deadline - boot : 0
    }

    /// What the pool hands out: the machine minus the policy's reserve.
    public var capacity: Capacity {
        Capacity(cpu: machine.cpu - policy.reserve.cpu, mem: machine.mem - policy.reserve.mem)
    }

    var pool: Admission.Pool {
        Admission.Pool(capacity: capacity, holdings: state.holdings, rule: policy.allocator, cpuOvercommit: policy.cpuOvercommit.factor)
    }

    // MARK: - read-only operations

    func status(for caller: Caller) -> JSON {
        let held = state.holdings
        let allocation = state.allocations[caller.uid]
        return [
            "uid": .uint(UInt64(caller.uid)),
            "user": .string(caller.userName),
            "system": ["cpu": .number(cpus(capacity.cpu)), "mem": .uint(capacity.mem.bytes)],
            "available": ["cpu": .number(cpus(pool.cpuCapacity - held.cpu)), "mem": .uint((capacity.mem - held.mem).bytes)],
            "slice": allocation.map { .string($0.sliceName.string) } ?? .null,
            "allocation": allocation.map { Self.json($0) } ?? .null,
            "lease_end": allocation?.leaseEnd.map { .uint($0) } ?? .null,
            "usage": allocation.map { usageJSON(controller.usage(of: $0.sliceName)) } ?? .null,
            "disk": policy.setsDiskQuotas
                ? diskUsageJSON(quota: policy.effectiveLimits(user: caller.userName, groups: caller.groupNames).disk?.value, uid: caller.uid) : .null,
        ]
    }

    func whoami(for caller: Caller) -> JSON {
        let relevant = Set(["fairshare", policy.adminGroup, policy.readerGroup].compactMap { $0 })
        return [
            "uid": .uint(UInt64(caller.uid)),
            "user": .string(caller.userName),
            "groups": .array(caller.groupNames.filter(relevant.contains).map { .string($0) }),
            "role": .string(caller.role.rawValue),
            "slice": state.allocations[caller.uid].map { .string($0.sliceName.string) } ?? .null,
        ]
    }

    /// Replies stop adding rows past this size, so a page stays well
    /// inside the protocol's line limit.
    static let listPageBytes = WireProtocol.maxLineBytes * 3 / 4

    /// Everyone's allocation with live usage, by uid, from the first uid
    /// above `after`; `next` is where the following page starts.
    func list(after: UInt32? = nil) -> JSON {
        let nowUsec = now() * 1_000_000
        var rows: [JSON] = []
        var size = 0
        for uid in state.allocations.keys.sorted() where after.map({ uid > $0 }) ?? true {
            if size > Self.listPageBytes, let last = rows.last?["uid"] {
                return ["allocations": .array(rows), "next": last]
            }
            let a = state.allocations[uid]!
            let usage = controller.usage(of: a.sliceName)
            var cpuPercent: JSON = .null
            if let cpu = usage.cpuUsec {
                // Since the last reading, or since the grant for the first one.
                let (wall0, cpu0) = cpuSamples[uid] ?? (a.since.multipliedSaturating(by: 1_000_000), 0)
                if nowUsec > wall0, cpu >= cpu0 {
                    cpuPercent = .number((Double(cpu - cpu0) / Double(nowUsec - wall0) * 1000).rounded() / 10)
                }
                cpuSamples[uid] = (nowUsec, cpu)
            }
            rows.append([
                "user": .string(a.user), "uid": .uint(UInt64(uid)),
                "cpu": .number(cpus(a.resources.cpu)), "mem": .uint(a.resources.mem.bytes),
                "tasks": a.resources.tasks.isInfinite ? "infinity" : .uint(a.resources.tasks.count),
                "lease": a.leaseEnd.map { .uint($0) } ?? .null, "since": .uint(a.since),
                "io": a.resources.io.isEmpty ? .null : a.resources.io.json,
                "gpus": .array(a.gpuDevices.map { .string($0) }),
                "usage": usageJSON(usage, cpuPercent: cpuPercent),
                "disk": policy.setsDiskQuotas ? diskUsageJSON(quota: diskQuota(of: a.user), uid: uid) : .null,
            ])
            size += rows[rows.count - 1].serialized.utf8.count + 1
        }
        return ["allocations": .array(rows)]
    }

    // MARK: - revoke

    func revoke(uid: UInt32, by admin: Caller, completion: @escaping (Reply) -> Void) {
        guard let held = state.allocations[uid] else {
            completion(.failure(ReplyError(code: .noAllocation, message: "uid \(uid) holds no allocation")))
            return
        }
        controller.stopSlice(held.sliceName) { [self] result in
            switch result {
            case .success:
                forget(uid)
                state.notices[uid] = "your allocation (\(held.resources.summary)) was revoked by \(admin.userName); its processes were stopped"
                persist()
                events.record(DaemonEvent(.revoked, "\(admin.userName) revoked the allocation of \(held.user)", uid: uid, user: held.user,
                                          resources: held.resources))
                completion(.success(["revoked": true, "user": .string(held.user), "slice": .string(held.sliceName.string)]))
            case .failure(let error):
                completion(.failure(Self.systemdFailure(error)))
            }
        }
    }

    // MARK: - request

    func grant(_ request: ResourceRequest, to caller: Caller, completion: @escaping (Reply) -> Void) {
        for kind in IOLimits.Kind.allCases {
            for device in request.io[kind].keys.sorted() where !deviceExists(device) {
                return completion(.failure(ReplyError(code: .badRequest, message: "no device '\(device)' on this machine (--\(kind.option))",
                                                      details: ["field": .string("io.\(kind.rawValue)")])))
            }
        }
        let limits = policy.effectiveLimits(user: caller.userName, groups: caller.groupNames)
        let held = state.allocations[caller.uid]
        if held == nil { applyDiskQuotas([(caller.userName, caller.uid, limits.disk?.value)]) }
        // A change keeps what it does not mention; a first request takes the defaults.
        let wanted = request.resolved(defaults: held?.resources ?? limits.defaults.values)
        let decision = Admission.evaluate(requested: wanted, held: held?.resources, userMax: limits.max.values, pool: pool)
            .flatMap { granted in chooseGPUs(granted.gpus, for: caller.uid, limits: limits, firstRequest: held == nil && request.gpus == nil)
                .map { (granted, $0) } }
        switch decision {
        case .failure(let refusal):
            events.record(DaemonEvent(.refused, "request refused: \(refusal)", uid: caller.uid, user: caller.userName, resources: wanted))
            completion(.failure(ReplyError(code: .refused, message: refusal.description, details: refusal.details)))
        case .success(let (granted, gpuDevices)):
            apply(granted, gpuDevices: gpuDevices, lease: request.lease, for: caller, previous: held) { result in
                switch result {
                case .success(let allocation):
                    completion(.success(["slice": .string(allocation.sliceName.string), "created": .bool(held == nil),
                                         "allocation": Self.json(allocation),
                                         "lease_end": allocation.leaseEnd.map { .uint($0) } ?? .null]))
                case .failure(let error):
                    completion(.failure(Self.systemdFailure(error)))
                }
            }
        }
    }

    /// Which GPU nodes a grant of `count` gives: those the user holds first,
    /// then free ones — among the devices the policy names for them (their
    /// `max`, or their `default` list on a first request), else any.
    private func chooseGPUs(_ count: Int, for uid: UInt32, limits: EffectiveLimits, firstRequest: Bool) -> Result<[String], Refusal> {
        let held = state.allocations[uid]?.gpuDevices ?? []
        if count == 0 { return .success([]) }
        let taken = Set(state.allocations.filter { $0.key != uid }.values.flatMap(\.gpuDevices))
        let named = (firstRequest ? limits.defaults.gpus.value.allowedDevices : nil) ?? limits.max.gpus.value.allowedDevices
        return GPUAssignment.choose(count: count, held: held, allowed: named, pool: gpus.nodes, taken: taken)
    }

    /// The slice's device properties: a device policy only when the policy
    /// hands out GPUs (fairshare-policy(5), GPUS).
    func deviceProperties(_ gpuDevices: [String]) -> [UnitProperty] {
        policy.managesGPUs ? GPUAssignment.unitProperties(held: gpuDevices, present: gpus.controlNodes) : []
    }

    /// Reserves `resources` at once (so concurrent requests of other users
    /// see them taken), then asks systemd; gives them back if systemd fails.
    private func apply(_ resources: Resources, gpuDevices: [String], lease: TimeSpan?, for caller: Caller, previous: Allocation?,
                       completion: @escaping (Result<Allocation, ControllerError>) -> Void) {
        let allocation = Allocation(uid: caller.uid, user: caller.userName, resources: resources,
                                    since: previous?.since ?? now(),
                                    leaseEnd: lease.map { $0.end(after: now()) } ?? previous?.leaseEnd, gpuDevices: gpuDevices)
        state.allocations[caller.uid] = allocation
        let previousDeadline = leaseDeadlines[caller.uid]
        if let lease { leaseDeadlines.start(uid: caller.uid, seconds: lease.seconds, bootNow: uptime()) }
        controller.applySlice(allocation.sliceName, resources: resources, devices: deviceProperties(gpuDevices),
                              create: previous == nil) { [self] result in
            switch result {
            case .success:
                persist()
                events.record(DaemonEvent(.granted, "granted \(resources.summary), \(resources.tasks) tasks"
                                          + (gpuDevices.isEmpty ? "" : " (\(gpuDevices.joined(separator: ", ")))") + " to \(caller.userName)",
                                          uid: caller.uid, user: caller.userName, resources: resources))
                completion(.success(allocation))
            case .failure(let error):
                state.allocations[caller.uid] = previous
                leaseDeadlines[caller.uid] = previousDeadline
                events.record(DaemonEvent(.error, "systemd failed to apply \(allocation.sliceName): \(error)", uid: caller.uid, user: caller.userName))
                completion(.failure(error))
            }
        }
    }

    // MARK: - release

    func release(for caller: Caller, completion: @escaping (Reply) -> Void) {
        guard let held = state.allocations[caller.uid] else {
            completion(.success(["released": false]))
            return
        }
        controller.stopSlice(held.sliceName) { [self] result in
            switch result {
            case .success:
                forget(caller.uid)
                persist()
                events.record(DaemonEvent(.released, "released \(held.sliceName)", uid: caller.uid, user: caller.userName, resources: held.resources))
                completion(.success(["released": true, "slice": .string(held.sliceName.string)]))
            case .failure(let error):
                completion(.failure(Self.systemdFailure(error)))
            }
        }
    }

    // MARK: - exec

    func exec(_ request: ExecRequest, for caller: Caller, completion: @escaping (Reply) -> Void) {
        guard let pinned = caller.process else {
            return completion(.failure(ReplyError(code: .callerGone, message: "the calling process \(caller.credentials.pid) is gone or changed; nothing was moved")))
        }
        if let refusal = movable(pinned, for: caller) { return completion(.failure(refusal)) }
        withAllocation(for: caller, completion: completion) { [self] allocation in
            let scope = request.name.map { UnitNames.execScope(uid: caller.uid, name: $0) } ?? UnitNames.execScope(uid: caller.uid, pid: pinned.pid)
            if let refusal = Self.execLimitsRefusal(request.limits, allocation: allocation.resources) {
                completion(.failure(refusal))
                return
            }
            // Checked once more right before the move: the pid must still be the caller.
            if let refusal = movable(pinned, for: caller) { return completion(.failure(refusal)) }
            let origin = controller.unit(ofProcess: pinned.pid)
            controller.startScope(scope, slice: allocation.sliceName, pid: pinned.pid, pidfd: caller.handle?.fd,
                                  description: UnitText(replacingControlCharactersIn: "fairshare exec of \(caller.userName)" + (request.name.map { ": \($0)" } ?? "")),
                                  limits: Self.scopeProperties(request.limits)) { [self] result in
                switch result {
                case .success:
                    // A pid cannot be reused while its process lives: alive
                    // (by the pidfd) and unchanged means the moved pid was the caller.
                    if let refusal = movable(pinned, for: caller) {
                        return undoMove(of: pinned.pid, from: scope, backTo: origin, caller: caller) { completion(.failure(refusal)) }
                    }
                    events.record(DaemonEvent(.exec, "moved pid \(pinned.pid) into \(scope)", uid: caller.uid, user: caller.userName,
                                              resources: allocation.resources))
                    completion(.success(["slice": .string(allocation.sliceName.string), "scope": .string(scope.string),
                                         "allocation": Self.json(allocation.resources),
                                         "limits": Self.json(request.limits.resolved(defaults: allocation.resources))]))
                case .failure(let error) where request.name != nil && error.busErrorName == "org.freedesktop.systemd1.UnitExists":
                    completion(.failure(ReplyError(code: .refused, message: "a scope named '\(request.name!)' is already running (\(scope)); choose another --name")))
                case .failure(let error):
                    completion(.failure(Self.systemdFailure(error)))
                }
            }
        }
    }

    /// Why the caller's process may not be moved, if it may not: it has
    /// exited (its pidfd says so), its pid names another process now, or
    /// it runs with another user's rights (a setuid program it started).
    private func movable(_ pinned: ProcessIdentity, for caller: Caller) -> ReplyError? {
        if let handle = caller.handle, !processAlive(handle) {
            return ReplyError(code: .callerGone, message: "the calling process \(pinned.pid) has exited; nothing was moved")
        }
        guard let now = processLookup(pinned.pid), now.pid == pinned.pid, now.startTime == pinned.startTime else {
            return ReplyError(code: .callerGone, message: "the calling process \(pinned.pid) is gone or changed; nothing was moved")
        }
        guard now.runsEntirely(as: caller.uid) else {
            return ReplyError(code: .permissionDenied,
                              message: "process \(pinned.pid) runs with the rights of uid \(now.effectiveUID == caller.uid ? now.savedUID : now.effectiveUID), "
                                  + "not yours (a setuid program?); only your own processes may be moved into your slice")
        }
        return nil
    }

    /// Puts a process moved by mistake back into the unit it came from,
    /// then stops the scope (empty by then). When it cannot be put back the
    /// scope is left running rather than killed, and the journal says so.
    private func undoMove(of pid: Int32, from scope: UnitName, backTo origin: UnitName?, caller: Caller, then done: @escaping () -> Void) {
        guard let origin else {
            events.record(DaemonEvent(.error, "moved pid \(pid) into \(scope) but it is no longer the caller, and its unit before is unknown; the scope is left running",
                                      uid: caller.uid, user: caller.userName))
            return done()
        }
        controller.moveProcess(pid, to: origin) { [self] result in
            switch result {
            case .success:
                events.record(DaemonEvent(.error, "moved pid \(pid) back to \(origin): it was no longer the caller when it reached \(scope)",
                                          uid: caller.uid, user: caller.userName))
                controller.stopSlice(scope) { _ in done() }
            case .failure(let error):
                events.record(DaemonEvent(.error, "could not move pid \(pid) back from \(scope) to \(origin): \(error); the scope is left running",
                                          uid: caller.uid, user: caller.userName))
                done()
            }
        }
    }

    /// Runs `body` with the caller's allocation, taking the policy's
    /// defaults first if they hold none, like `request` with no flags
    /// (`exec` and `run`).
    func withAllocation(for caller: Caller, completion: @escaping (Reply) -> Void, _ body: @escaping (Allocation) -> Void) {
        if let held = state.allocations[caller.uid] { return body(held) }
        grant(ResourceRequest(), to: caller) { [self] reply in
            guard case .success = reply, let held = state.allocations[caller.uid] else { return completion(reply) }
            body(held)
        }
    }

    /// An exec's own limits may narrow the allocation, never widen it.
    static func execLimitsRefusal(_ limits: ResourceRequest, allocation: Resources) -> ReplyError? {
        func refuse(_ option: String, _ wanted: String, _ held: String) -> ReplyError {
            ReplyError(code: .refused, message: "--\(option) \(wanted) is above your allocation of \(held); raise it first with 'fairshare request --\(option) \(wanted)'",
                       details: ["resource": .string(option), "bound": "allocation"])
        }
        if let cpu = limits.cpu, cpu > allocation.cpu { return refuse("cpu", cpu.description, allocation.cpu.withUnit) }
        if let mem = limits.mem, mem > allocation.mem { return refuse("mem", mem.description, allocation.mem.description) }
        if let tasks = limits.tasks, tasks > allocation.tasks { return refuse("tasks", tasks.description, "\(allocation.tasks) tasks") }
        return nil
    }

    /// The scope's own limits as unit properties: only those asked for.
    static func scopeProperties(_ limits: ResourceRequest) -> [UnitProperty] {
        var properties: [UnitProperty] = []
        if let cpu = limits.cpu { properties.append(UnitProperty("CPUQuotaPerSecUSec", .uint64(cpu.usecPerSecond))) }
        if let mem = limits.mem { properties.append(UnitProperty("MemoryMax", .uint64(mem.bytes))) }
        if let tasks = limits.tasks { properties.append(UnitProperty("TasksMax", .uint64(tasks.count))) }
        return properties
    }

    /// Drops a user's allocation and everything tracked about its slice, so
    /// a later grant starts with a clean CPU and idle history.
    func forget(_ uid: UInt32) {
        state.allocations[uid] = nil
        leaseDeadlines.forget(uid: uid)
        cpuSamples[uid] = nil
        idleWatch[uid] = nil
    }

    // MARK: - start-up reconciliation

    /// Makes the state agree with systemd: slices that exist but are not
    /// recorded are adopted with their live limits; recorded allocations
    /// whose slice is gone are dropped. Recorded slices keep the recorded
    /// limits unless live ones are given (the daemon sets them and saves
    /// each change once systemd has applied it), so a restart reads limits
    /// only for slices it does not know.
    public func reconcile(with slices: [SliceInfo], userName: (UInt32) -> String) -> (adopted: Int, dropped: Int) {
        var live: [UInt32: SliceInfo] = [:]
        for s in slices { if let uid = UnitNames.uid(ofSlice: s.name) { live[uid] = s } }
        var adopted = 0, dropped = 0
        for uid in state.allocations.keys where live[uid] == nil {
            forget(uid)
            dropped += 1
        }
        for (uid, slice) in live {
            if var known = state.allocations[uid] {
                if let live = slice.resources, live != known.resources.kernelLimits {
                    (known.resources.cpu, known.resources.mem, known.resources.tasks) = (live.cpu, live.mem, live.tasks)
                    state.allocations[uid] = known
                }
            } else if let live = slice.resources {
                state.allocations[uid] = Allocation(uid: uid, user: userName(uid), resources: live, since: now())
                adopted += 1
            }
        }
        if adopted + dropped > 0 { persist() }
        return (adopted, dropped)
    }

    // MARK: - helpers

    func persist() {
        do {
            try store.save(state)
        } catch {
            events.record(DaemonEvent(.error, "could not save state: \(error); systemd still holds the slices and they are adopted on restart"))
        }
    }

    func cpus(_ q: CPUQuantity) -> Double { Double(q.usecPerSecond) / 1e6 }

    /// A slice's live usage; `cpuPercent` only where `list` computes it.
    func usageJSON(_ usage: SliceUsage, cpuPercent: JSON? = nil) -> JSON {
        var o: JSONObject = [:]
        if let cpuPercent { o["cpu_percent"] = cpuPercent }
        o["mem"] = usage.memoryBytes.map { .uint($0) } ?? .null
        o["tasks"] = usage.tasks.map { .uint($0) } ?? .null
        o["io_read"] = usage.ioReadBytes.map { .uint($0) } ?? .null
        o["io_write"] = usage.ioWriteBytes.map { .uint($0) } ?? .null
        return .object(o)
    }

    static func json(_ r: Resources) -> JSON {
        ["cpu": .number(Double(r.cpu.usecPerSecond) / 1e6), "mem": .uint(r.mem.bytes),
         "tasks": r.tasks.isInfinite ? "infinity" : .uint(r.tasks.count)]
    }

    /// An allocation's resources with its IO settings and GPU nodes.
    static func json(_ a: Allocation) -> JSON {
        guard case .object(var o) = json(a.resources) else { return .null }
        if !a.resources.io.isEmpty { o["io"] = a.resources.io.json }
        if !a.gpuDevices.isEmpty { o["gpus"] = .array(a.gpuDevices.map { .string($0) }) }
        return .object(o)
    }

    static func systemdFailure(_ error: ControllerError) -> ReplyError {
        var details: JSONObject = [:]
        if let name = error.busErrorName { details["dbus_error"] = .string(name) }
        return ReplyError(code: .systemd, message: "systemd refused: \(error.message)", details: details)
    }
}
