import FairshareCore

/// Which unit properties a user's slice gets: its grant as a ceiling
/// (`sharing: strict`) or as a guarantee with a burst ceiling (`lend`).
extension RequestHandler {
    /// The shape of `uid`'s slice holding `resources`, by their policy now;
    /// a `MemoryHigh=` that reclaim has lowered stays lowered.
    func shape(_ resources: Resources, uid: UInt32, user: String, groups: [String]? = nil) -> SliceShape {
        let limits = policy.effectiveLimits(user: user, groups: groups ?? groupLookup(user) ?? [])
        var shape = SliceShape(grant: resources, sharing: limits.sharing.value, burst: limits.burst.value,
                               userMax: limits.max.values, pool: capacity, weighted: policy.lends, memoryProtection: memoryProtection)
        if shape.lendsMemory, let high = reclaim.lowered[uid], high < shape.ceiling.mem { shape.memoryHigh = Swift.max(high, shape.grant.mem) }
        return shape
    }

    /// Gives every slice its shape again, with systemd's defaults for what
    /// the shape leaves unset: at start, since the policy may have changed
    /// while the daemon was down (slices that lent stop lending).
    public func reshapeAll() {
        for uid in state.allocations.keys.sorted() {
            serializer.run(uid: uid) { [self] done in
                guard let held = state.allocations[uid] else { return done() }
                let shape = shape(held.resources, uid: uid, user: held.user)
                controller.applySlice(held.sliceName, shape: shape, devices: deviceProperties(held.gpuDevices), create: false,
                                      resetting: true) { [self] result in
                    switch result {
                    case .success: appliedShapes[uid] = shape
                    case .failure(let error):
                        events.record(DaemonEvent(.error, "could not set the shape of \(held.sliceName): \(error)", uid: uid, user: held.user))
                    }
                    done()
                }
            }
        }
    }
}
