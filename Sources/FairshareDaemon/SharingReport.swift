import FairshareCore

/// `status`'s sharing block: guaranteed, in use, burst ceiling, PSI.
extension RequestHandler {
    func sharingReport(_ a: Allocation, groups: [String]) -> SharingReply {
        let shape = appliedShapes[a.uid] ?? shape(a.resources, uid: a.uid, user: a.user, groups: groups)
        let usage = controller.usage(of: a.sliceName)
        // CPU in use: since the previous `status` of this user, or since
        // the grant for the first one (as `admin list`'s CPU%).
        var inUseCPU: CPUQuantity?
        if let cpu = usage.cpuUsec {
            let t = now().multipliedSaturating(by: 1_000_000)
            let (t0, cpu0) = statusCPUSamples[a.uid] ?? (a.since.multipliedSaturating(by: 1_000_000), 0)
            if t > t0, cpu >= cpu0 {
                inUseCPU = CPUQuantity(usecPerSecond: (cpu - cpu0).multipliedSaturating(by: 1_000_000) / (t - t0))
            }
            statusCPUSamples[a.uid] = (t, cpu)
        }
        return SharingReply(mode: shape.sharing.rawValue, guaranteed: CPUAndMemory(cpu: shape.grant.cpu, mem: shape.grant.mem),
                            inUseCPU: inUseCPU, inUseMem: usage.memoryBytes,
                            ceiling: CPUAndMemory(cpu: shape.ceiling.cpu, mem: shape.ceiling.mem),
                            memoryHigh: shape.memoryHigh?.bytes, pressure: controller.pressure(of: a.sliceName))
    }
}
