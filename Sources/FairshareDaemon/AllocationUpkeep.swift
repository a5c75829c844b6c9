import FairshareCore
import FairshareSystem

/// What happens to allocations between requests: leases that end, idle
/// slices released, the pool's cap, and agreeing with systemd at start-up.
extension RequestHandler {
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
        // Under lend on v2 the pool is protected as a whole, so its slices'
        // MemoryMin= reach the kernel (only their own grants are protected).
        let protected = policy.lends && memoryProtection ? cap.mem : .zero
        controller.capPool(UnitNames.root, capacity: cap, protected: protected) { [self] result in
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
}
