import FairshareCore

/// Reclaim for lending slices: reads use and pressure, lets `MemoryReclaim`
/// decide, and sets borrowers' `MemoryHigh=` asynchronously; every change
/// is a journal event. Called by the daemon's one-second ticker; it never
/// waits (file reads and an async `SetUnitProperties`).
extension RequestHandler {
    public func reclaimMemory() {
        guard memoryProtection else { return }
        let t = uptime()
        guard t > lastReclaimCheck else { return }
        lastReclaimCheck = t
        var slices: [MemoryReclaim.Slice] = []
        for (uid, shape) in appliedShapes where shape.lendsMemory {
            guard let held = state.allocations[uid] else { continue }
            let usage = controller.usage(of: held.sliceName)
            slices.append(MemoryReclaim.Slice(uid: uid, grant: shape.grant.mem, ceiling: shape.ceiling.mem,
                                              inUse: usage.memoryBytes.map { ByteSize(bytes: $0) },
                                              memoryPressure: controller.pressure(of: held.sliceName)?.memory))
        }
        guard !slices.isEmpty else { return }
        for step in reclaim.evaluate(slices, now: t) {
            guard let held = state.allocations[step.uid] else { continue }
            let lenders = step.lenders.compactMap { state.allocations[$0]?.user }.joined(separator: ", ")
            let why = step.kind == .lowered ? "memory pressure of \(lenders) while \(held.user) uses more than the grant \(held.resources.mem)"
                                            : "no memory pressure for \(reclaim.tuning.clearFor)s"
            controller.setSliceProperties(held.sliceName, [UnitProperty("MemoryHigh", .uint64(step.to.bytes))]) { [self] result in
                switch result {
                case .success:
                    appliedShapes[step.uid]?.memoryHigh = reclaim.lowered[step.uid]
                    events.record(DaemonEvent(.reclaimed, "reclaim: \(step.kind.rawValue) MemoryHigh= of \(held.user) from \(step.from) to \(step.to) (\(why))",
                                              uid: step.uid, user: held.user))
                case .failure(let error):
                    events.record(DaemonEvent(.error, "reclaim: could not set MemoryHigh= of \(held.sliceName) to \(step.to): \(error)",
                                              uid: step.uid, user: held.user))
                }
            }
        }
    }
}
