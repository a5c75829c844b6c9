import FairshareCore
import FairshareSystem

/// `exec`: the caller's own process moved into a new scope in its slice,
/// checked to still be the caller before and after the move.
extension RequestHandler {
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
                    completion(.success(ExecReply(slice: allocation.sliceName.string, scope: scope.string,
                                                  allocation: ReplyResources(allocation.resources),
                                                  limits: ReplyResources(request.limits.resolved(defaults: allocation.resources))).json))
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
}
