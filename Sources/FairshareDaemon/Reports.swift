import FairshareCore
import FairshareSystem

/// `status`, `whoami` and `admin list`: what the daemon knows, read-only.
extension RequestHandler {
    func status(for caller: Caller) -> StatusReply {
        let held = state.holdings
        let allocation = state.allocations[caller.uid]
        return StatusReply(
            uid: caller.uid, user: caller.userName,
            system: CPUAndMemory(cpu: capacity.cpu, mem: capacity.mem),
            available: CPUAndMemory(cpu: pool.cpuCapacity - held.cpu, mem: capacity.mem - held.mem),
            slice: allocation?.sliceName.string,
            allocation: allocation.map(ReplyResources.init),
            leaseEnd: allocation?.leaseEnd,
            usage: allocation.map { SliceUsageReply(controller.usage(of: $0.sliceName)) },
            disk: policy.setsDiskQuotas
                ? diskUsage(quota: policy.effectiveLimits(user: caller.userName, groups: caller.groupNames).disk?.value, uid: caller.uid) : nil,
            login: login(uid: caller.uid, user: caller.userName, groups: caller.groupNames),
            sharing: allocation.map { sharingReport($0, groups: caller.groupNames) })
    }

    /// `uid`'s logins: the policy's login cap, whether GPUs are closed to
    /// them, what they use now; nil outside `min_uid`..`max_uid`, whose
    /// login slices fairshare never touches.
    func login(uid: UInt32, user: String, groups: [String]) -> LoginReply? {
        guard policy.capsLogins(ofUID: uid) else { return nil }
        return LoginReply(slice: LoginDropIn.slice(uid: uid).string, cap: policy.loginCap(user: user, uid: uid, groups: groups),
                          gpus: policy.managesGPUs ? policy.loginGPUs : nil, usage: loginSlices.usage(uid))
    }

    func whoami(for caller: Caller) -> WhoamiReply {
        let relevant = Set(["fairshare", policy.adminGroup, policy.readerGroup].compactMap { $0 })
        return WhoamiReply(uid: caller.uid, user: caller.userName, groups: caller.groupNames.filter(relevant.contains),
                           role: caller.role, slice: state.allocations[caller.uid]?.sliceName.string)
    }

    /// Replies stop adding rows past this size, so a page stays well
    /// inside the protocol's line limit.
    static let listPageBytes = WireProtocol.maxLineBytes * 3 / 4

    /// Everyone's allocation with live usage, by uid, and the logins of
    /// users in `min_uid`..`max_uid` who hold none, from the first uid
    /// above `after`; `next` is where the following page starts. CPU % is
    /// since `lister`'s previous listing.
    func list(after: UInt32? = nil, for lister: UInt32 = 0) -> AllocationListPage {
        let nowUsec = now() * 1_000_000
        var rows: [AllocationRow] = []
        var logins: [LoginRow] = []
        var size = 0
        var last: UInt32?
        let loginsOnly = loginSlices.live().filter { state.allocations[$0] == nil && policy.capsLogins(ofUID: $0) }
        for uid in Set(state.allocations.keys).union(loginsOnly).sorted() where after.map({ uid > $0 }) ?? true {
            if size > Self.listPageBytes, let last {
                return AllocationListPage(allocations: rows, logins: logins, next: last)
            }
            last = uid
            guard let a = state.allocations[uid] else {
                let name = loginSlices.userName(uid) ?? "#\(uid)"
                guard let login = login(uid: uid, user: name, groups: groupLookup(name) ?? []) else { continue }
                let row = LoginRow(user: name, uid: uid, login: login)
                size += row.json.serialized.utf8.count + 1
                logins.append(row)
                continue
            }
            let usage = controller.usage(of: a.sliceName)
            var cpuPercent: Double?
            if let cpu = usage.cpuUsec {
                // Since the last reading, or since the grant for the first one.
                let key = ListerSlice(lister: lister, slice: uid)
                let (wall0, cpu0) = cpuSamples[key] ?? (a.since.multipliedSaturating(by: 1_000_000), 0)
                if nowUsec > wall0, cpu >= cpu0 {
                    cpuPercent = (Double(cpu - cpu0) / Double(nowUsec - wall0) * 1000).rounded() / 10
                }
                cpuSamples[key] = (nowUsec, cpu)
            }
            let row = AllocationRow(user: a.user, uid: uid, cpu: a.resources.cpu, mem: a.resources.mem, tasks: a.resources.tasks,
                                    lease: a.leaseEnd, since: a.since, io: a.resources.io, gpus: a.gpuDevices, cpuPercent: cpuPercent,
                                    usage: SliceUsageReply(usage),
                                    disk: policy.setsDiskQuotas ? diskUsage(quota: diskQuota(of: a.user), uid: uid) : nil,
                                    login: login(uid: uid, user: a.user, groups: groupLookup(a.user) ?? []),
                                    pressure: controller.pressure(of: a.sliceName))
            size += row.json.serialized.utf8.count + 1
            rows.append(row)
        }
        return AllocationListPage(allocations: rows, logins: logins)
    }
}

extension ReplyResources {
    /// An allocation's resources with its IO settings and GPU nodes.
    init(_ a: Allocation) {
        self.init(cpu: a.resources.cpu, mem: a.resources.mem, tasks: a.resources.tasks, io: a.resources.io, gpus: a.gpuDevices)
    }
}

extension SliceUsageReply {
    init(_ usage: SliceUsage) {
        self.init(mem: usage.memoryBytes, tasks: usage.tasks, ioRead: usage.ioReadBytes, ioWrite: usage.ioWriteBytes, cpuUsec: usage.cpuUsec)
    }
}
