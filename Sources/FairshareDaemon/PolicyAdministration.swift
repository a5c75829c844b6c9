import FairshareCore
import FairshareSystem

/// `admin reload`, SIGHUP, `admin set-default`/`set-max` and
/// `admin show-policy`. A policy with errors never replaces the running
/// one; a new one lowers allocations above a lowered max.
extension RequestHandler {
    /// Re-reads every policy file and, if they are valid, puts them in force.
    public func reload(by who: String, reply: @escaping (Reply) -> Void) {
        let result: PolicyCompiler.Result
        do {
            result = try policyStore.compile()
        } catch {
            events.record(DaemonEvent(.policyRejected, "policy reload by \(who) failed, keeping the running policy: \(error)"))
            return reply(.failure(ReplyError(code: .invalidPolicy, message: "cannot read the policy: \(error); the running policy is kept")))
        }
        guard let policy = result.policy else {
            events.record(DaemonEvent(.policyRejected, "policy reload by \(who) failed, keeping the running policy:\n\(result.diagnostics.report)"))
            return reply(.failure(.invalidPolicy(result.diagnostics, kept: "the running policy is kept")))
        }
        install(policy, warnings: result.diagnostics, by: who, reply: reply)
    }

    /// Writes `change` into the override file, if the whole policy with it
    /// is valid, then puts the new policy in force.
    func setPolicy(_ change: PolicyChange, by who: String, reply: @escaping (Reply) -> Void) {
        if let problem = change.problem { return reply(.failure(ReplyError(code: .badRequest, message: problem))) }
        var sources: [PolicyCompiler.Source]
        do {
            sources = try policyStore.sources()
        } catch {
            return reply(.failure(ReplyError(code: .invalidPolicy, message: "cannot read the policy: \(error); nothing was changed")))
        }
        let path = policyStore.overridePath
        let index = sources.firstIndex { $0.path == path }
        var overrides = PolicySettings()
        if let index {
            let (current, diagnostics) = PolicyFileReader.read(sources[index].bytes, path: path)
            if diagnostics.contains(where: \.isError) {
                return reply(.failure(.invalidPolicy(diagnostics, kept: "fix or remove \(path), then try again; nothing was changed")))
            }
            overrides = current
        }
        overrides.apply(change, origin: PolicyOrigin(path: path, at: SourceLocation(line: 1, column: 1)))
        let bytes = Array(PolicyWriter.render(overrides).utf8)
        let candidate = PolicyCompiler.Source(path: path, bytes: bytes)
        if let index { sources[index] = candidate } else { sources.append(candidate) }
        let result = PolicyCompiler.compile(sources, accounts: policyStore.accounts)
        guard let policy = result.policy else {
            return reply(.failure(.invalidPolicy(result.diagnostics, kept: "nothing was changed")))
        }
        do {
            try policyStore.writeOverride(bytes)
        } catch {
            return reply(.failure(ReplyError(code: .internalError, message: "cannot write \(path): \(error); nothing was changed")))
        }
        install(policy, warnings: result.diagnostics, by: who, reply: reply)
    }

    /// Puts `policy` in force, caps the pool, lowers what is above the new
    /// maxima, then replies with what changed.
    private func install(_ policy: Policy, warnings: [PolicyDiagnostic], by who: String, reply: @escaping (Reply) -> Void) {
        let devicesChanged = self.policy.managesGPUs != policy.managesGPUs
        self.policy = policy
        gpus = discoverGPUs()
        capPool()
        applyDiskQuotasToAllUsers()
        policyInstalled?(policy, who)
        events.record(DaemonEvent(.policyReloaded, "policy reloaded by \(who) from \(policy.files.count) files"
                                  + (warnings.isEmpty ? "" : ":\n\(warnings.report)")))
        clampAllocations(by: who, reapplyingDevices: devicesChanged) { clamped in
            reply(.success(PolicyAppliedReply(files: policy.files, warnings: warnings.map(DiagnosticReply.init), clamped: clamped).json))
        }
    }

    /// Lowers every allocation above its user's max to it, in systemd too;
    /// completes with one entry per allocation lowered.
    /// `reapplyingDevices`: the policy started or stopped managing GPUs, so
    /// every slice's device policy is set again.
    func clampAllocations(by who: String, reapplyingDevices: Bool = false, completion: @escaping ([ClampedAllocation]) -> Void) {
        var pending = state.allocations.count + 1
        var clamped: [ClampedAllocation] = []
        let finish = { pending -= 1; if pending == 0 { completion(clamped) } }
        for uid in state.allocations.keys.sorted() {
            serializer.run(uid: uid) { [self] operationDone in
                let done = { operationDone(); finish() }
                guard let held = state.allocations[uid] else { return done() }
                let limits = policy.effectiveLimits(user: held.user, groups: groupLookup(held.user) ?? [])
                let max = limits.max.values
                var lowered = held.resources
                lowered.cpu = min(held.resources.cpu, max.cpu)
                lowered.mem = min(held.resources.mem, max.mem)
                lowered.tasks = min(held.resources.tasks, max.tasks)
                lowered.io = held.resources.io.clamped(to: max.io)
                // GPUs the user may still hold: named by the policy (if it
                // names any), still on the machine, at most the new max.
                let allowed = limits.max.gpus.value.allowedDevices
                let kept = policy.managesGPUs
                    ? Array(held.gpuDevices.filter { (allowed?.contains($0) ?? true) && gpus.nodes.contains($0) }.prefix(max.gpus)) : []
                lowered.gpus = kept.count
                let devices = policy.managesGPUs || !reapplyingDevices ? deviceProperties(kept) : GPUAssignment.unmanagedProperties
                let shape = shape(lowered, uid: uid, user: held.user)
                guard lowered != held.resources || kept != held.gpuDevices else {
                    // Same grant: sent again only when its shape changed
                    // (sharing, burst, the pool) or the device policy did.
                    if reapplyingDevices || appliedShapes[uid] != shape {
                        controller.applySlice(held.sliceName, shape: shape, devices: devices, create: false, resetting: true) { [self] result in
                            if case .success = result { appliedShapes[uid] = shape }
                            done()
                        }
                        return
                    }
                    return done()
                }
                controller.applySlice(held.sliceName, shape: shape, devices: devices, create: false, resetting: true) { [self] result in
                    var entry = ClampedAllocation(user: held.user, uid: uid, from: ReplyResources(held.resources), to: ReplyResources(lowered))
                    switch result {
                    case .success:
                        appliedShapes[uid] = shape
                        state.allocations[uid]?.resources = lowered
                        state.allocations[uid]?.gpuDevices = kept
                        state.notices[uid] = "the policy changed: your allocation was lowered from \(held.resources.summary) to \(lowered.summary)"
                        persist()
                        events.record(DaemonEvent(.clamped, "lowered the allocation of \(held.user) from \(held.resources.summary) to \(lowered.summary) (new max, policy change by \(who))",
                                                  uid: uid, user: held.user, resources: lowered))
                    case .failure(let error):
                        entry.error = error.message
                        events.record(DaemonEvent(.error, "could not lower \(held.sliceName) to the new max: \(error)", uid: uid, user: held.user))
                    }
                    clamped.append(entry)
                    done()
                }
            }
        }
        finish()
    }

    /// The effective policy of `user` with the origin of every value;
    /// `groups` nil looks them up.
    func showPolicy(user: String, groups: [String]?) -> Reply {
        guard let groups = groups ?? groupLookup(user) else {
            return .failure(ReplyError(code: .badRequest, message: "no such user '\(user)'"))
        }
        let limits = policy.effectiveLimits(user: user, groups: groups)
        let s = policy.settings
        func resources(_ r: SourcedResources) -> SourcedLimits {
            SourcedLimits(cpu: sourced(r.cpu, "", \.exactDescription), mem: sourced(r.mem, "", \.exactDescription),
                          tasks: sourced(r.tasks, "", \.description), io: sourced(r.io, "", \.summary),
                          gpus: sourced(r.gpus, "", \.description))
        }
        let relevant = groups.filter { s.groups[$0] != nil }.sorted()
        let builtin = DaemonLimits.builtin
        let settings: [PolicyShowReply.Setting] = [
            .init("admin_group", sourced(s.adminGroup, "-", { $0 })),
            .init("reader_group", sourced(s.readerGroup, "-", { $0 })),
            .init("reserve_cpu", sourced(s.reserveCPU, "0", \.exactDescription)),
            .init("reserve_mem", sourced(s.reserveMem, "0", \.exactDescription)),
            .init("overcommit_cpu", sourced(s.cpuOvercommit, "1", \.description)),
            .init("min_cpu", sourced(s.minCPU, Policy.builtinMinimum.cpu.exactDescription, \.exactDescription)),
            .init("min_mem", sourced(s.minMem, Policy.builtinMinimum.mem.exactDescription, \.exactDescription)),
            .init("allocator", sourced(s.allocator, FairShareRule.polynomial.rawValue, \.rawValue)),
            .init("idle_release", sourced(s.idleRelease, "off", \.description)),
            .init("disk", sourced(limits.disk, "-", \.description)),
            .init("sharing", sourced(limits.sharing, "", \.description)),
            .init("burst", sourced(limits.burst, "", \.description)),
            .init("daemon.connections", sourced(s.daemon.connections, "\(builtin.connections)", \.description)),
            .init("daemon.connections_per_user", sourced(s.daemon.connectionsPerUser, "\(builtin.connectionsPerUser)", \.description)),
            .init("daemon.reserved_connections", sourced(s.daemon.reservedConnections, "\(builtin.reservedConnections)", \.description)),
            .init("daemon.requests_per_second", sourced(s.daemon.requestsPerSecond, "\(builtin.requestsPerSecond)", \.description)),
            .init("daemon.request_burst", sourced(s.daemon.requestBurst, "\(builtin.requestBurst)", \.description)),
            .init("daemon.reply_buffer", sourced(s.daemon.replyBuffer, "\(ByteSize(bytes: UInt64(builtin.replyBuffer)))", \.description)),
            .init("daemon.running_jobs_per_user", sourced(s.daemon.runningJobsPerUser, "\(builtin.runningJobsPerUser)", \.description)),
            .init("daemon.kept_jobs_per_user", sourced(s.daemon.keptJobsPerUser, "\(builtin.keptJobsPerUser)", \.description)),
        ] + loginAndStraySettings(user: user, groups: groups)
        let forecast = CapacityForecast.simulate(policy: policy, machine: machine)
        return .success(PolicyShowReply(user: user, groups: relevant, defaults: resources(limits.defaults), max: resources(limits.max),
                                        settings: settings, files: policy.files, capacity: forecast.lines(minimum: policy.minimum)).json)
    }

    /// `show-policy`'s rows for the user's login cap, the accounts capped,
    /// GPUs in logins and strays, each with its origin.
    private func loginAndStraySettings(user: String, groups: [String]) -> [PolicyShowReply.Setting] {
        let s = policy.settings
        let cap = uidLookup(user).map { policy.loginCap(user: user, uid: $0, groups: groups) } ?? .none
        let range = LoginAccounts.defaultRange
        return [
            .init("login.cpu", sourced(cap.cpu, "-", { $0.isUnlimited ? "infinity" : $0.exactDescription })),
            .init("login.mem", sourced(cap.mem, "-", \.exactDescription)),
            .init("login.tasks", sourced(cap.tasks, "-", \.description)),
            .init("login.io", sourced(cap.io, "-", \.summary)),
            .init("min_uid", sourced(s.minUID, "\(range.lowerBound)", \.description)),
            .init("max_uid", sourced(s.maxUID, "\(range.upperBound)", \.description)),
            .init("login_gpus", sourced(s.loginGPUs, LoginGPUAccess.builtin.description, \.description)),
            .init("strays.mode", sourced(s.strays.mode, StrayMode.report.rawValue, \.rawValue)),
            .init("strays.interval", sourced(s.strays.interval, StrayPolicy.maxInterval.description, \.description)),
            .init("strays.ignore", sourced(s.strays.ignore, "-", { $0.isEmpty ? "-" : $0.map(\.description).joined(separator: ", ") })),
        ]
    }
}

/// A setting as `show-policy` shows it: its value (or `fallback` when no
/// file sets it) and the file and line it came from.
private func sourced<V>(_ value: Sourced<V>?, _ fallback: String, _ text: (V) -> String) -> SourcedText {
    SourcedText(value: value.map { text($0.value) } ?? fallback, origin: (value?.origin ?? .builtin).description)
}
