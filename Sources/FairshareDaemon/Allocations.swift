import FairshareCore
import FairshareSystem

/// `request`, `release` and `revoke`: grants from the pool within the
/// policy, and slices stopped and forgotten.
extension RequestHandler {
    /// What the pool hands out: the machine minus the policy's reserve.
    public var capacity: Capacity {
        Capacity(cpu: machine.cpu - policy.reserve.cpu, mem: machine.mem - policy.reserve.mem)
    }

    var pool: Admission.Pool {
        Admission.Pool(capacity: capacity, holdings: state.holdings, rule: policy.allocator, cpuOvercommit: policy.cpuOvercommit.factor)
    }

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
        // A change keeps what it does not mention; a first request takes the
        // defaults, shrunk to fit where the user named no amount.
        let wanted = request.resolved(defaults: held?.resources ?? limits.defaults.values)
        let defaultGPUs = held == nil && request.gpus == nil
        let decision = DefaultGrant.evaluate(wanted: wanted, namedCPU: request.cpu != nil, namedMem: request.mem != nil,
                                             held: held?.resources, userMax: limits.max.values, minimum: policy.minimum, pool: pool)
            .flatMap { outcome in chooseGPUs(for: outcome, caller: caller, limits: limits, shrinking: defaultGPUs) }
        switch decision {
        case .failure(let refusal):
            events.record(DaemonEvent(.refused, "request refused: \(refusal)", uid: caller.uid, user: caller.userName, resources: wanted))
            completion(.failure(ReplyError(code: .refused, message: refusal.description, details: refusal.details)))
        case .success(let (outcome, gpuDevices)):
            if let notice = outcome.shrunk.notice {
                state.notices[caller.uid] = [state.notices[caller.uid], notice].compactMap { $0 }.joined(separator: "; ")
            }
            apply(outcome.granted, gpuDevices: gpuDevices, lease: request.lease, for: caller, previous: held) { result in
                switch result {
                case .success(let allocation):
                    completion(.success(GrantReply(slice: allocation.sliceName.string, created: held == nil,
                                                   allocation: ReplyResources(allocation), leaseEnd: allocation.leaseEnd,
                                                   shrunk: outcome.shrunk).json))
                case .failure(let error):
                    completion(.failure(Self.systemdFailure(error)))
                }
            }
        }
    }

    /// Which GPU nodes a grant of `count` gives: those the user holds first,
    /// then free ones — among the devices the policy names for them (their
    /// `max`, or their `default` list on a first request), else any.
    /// The GPU nodes for `outcome`; a default count (`shrinking`) shrinks
    /// to what is free, like CPU and memory.
    private func chooseGPUs(for outcome: DefaultGrant.Outcome, caller: Caller, limits: EffectiveLimits,
                            shrinking: Bool) -> Result<(DefaultGrant.Outcome, [String]), Refusal> {
        let wanted = outcome.granted.gpus
        let first = chooseGPUs(wanted, for: caller.uid, limits: limits, firstRequest: shrinking)
        guard shrinking, case .failure = first else { return first.map { (outcome, $0) } }
        for fewer in stride(from: wanted - 1, through: 0, by: -1) {
            guard case .success(let nodes) = chooseGPUs(fewer, for: caller.uid, limits: limits, firstRequest: true) else { continue }
            var shrunk = outcome
            shrunk.granted.gpus = fewer
            shrunk.shrunk.append(DefaultGrant.Shrunk(resource: .gpus, policyDefault: "\(wanted)", granted: "\(fewer)"))
            return .success((shrunk, nodes))
        }
        return first.map { (outcome, $0) }
    }

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
        let shape = shape(resources, uid: caller.uid, user: caller.userName, groups: caller.groupNames)
        controller.applySlice(allocation.sliceName, shape: shape, devices: deviceProperties(gpuDevices),
                              create: previous == nil, resetting: false) { [self] result in
            switch result {
            case .success:
                appliedShapes[caller.uid] = shape
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

    func release(for caller: Caller, completion: @escaping (Reply) -> Void) {
        guard let held = state.allocations[caller.uid] else {
            completion(.success(ReleaseReply(slice: nil).json))
            return
        }
        controller.stopSlice(held.sliceName) { [self] result in
            switch result {
            case .success:
                forget(caller.uid)
                persist()
                events.record(DaemonEvent(.released, "released \(held.sliceName)", uid: caller.uid, user: caller.userName, resources: held.resources))
                completion(.success(ReleaseReply(slice: held.sliceName.string).json))
            case .failure(let error):
                completion(.failure(Self.systemdFailure(error)))
            }
        }
    }

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
                completion(.success(RevokeReply(user: held.user, slice: held.sliceName.string).json))
            case .failure(let error):
                completion(.failure(Self.systemdFailure(error)))
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

    /// Drops a user's allocation and everything tracked about its slice, so
    /// a later grant starts with a clean CPU and idle history.
    func forget(_ uid: UInt32) {
        state.allocations[uid] = nil
        leaseDeadlines.forget(uid: uid)
        cpuSamples = cpuSamples.filter { $0.key.slice != uid }
        idleWatch[uid] = nil
        appliedShapes[uid] = nil
        statusCPUSamples[uid] = nil
        reclaim.forget(uid)
    }
}
