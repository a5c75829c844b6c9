/// Where and how a login cap becomes systemd configuration: a drop-in
/// `/run/systemd/system/user-UID.slice.d/50-fairshare-login.conf` for each
/// capped account (fairshare-policy(5), LOGIN CAPS). Per uid, never the
/// `user-.slice.d` prefix directory: that would cap every user slice,
/// root's and systemd's dynamic users' included.
public enum LoginDropIn {
    /// Runtime unit directory: gone at reboot, rewritten at the daemon's start.
    public static let unitDirectory = "/run/systemd/system"
    /// Sorts after Debian's `10-defaults.conf` (its `TasksMax=33%`), so a
    /// `login.tasks` replaces it, and after the `50-CPUQuota.conf`-style
    /// files `systemctl set-property` writes, so an old runtime setting
    /// does not hide the policy's.
    public static let fileName = "50-fairshare-login.conf"
    /// What Debian's systemd ships in `user-.slice.d/`.
    public static let debianDefaultsFileName = "10-defaults.conf"

    /// `user-1001.slice`: logind's slice of a uid.
    public static func slice(uid: UInt32) -> UnitName { UnitName(composedOfCheckedParts: "user-\(uid).slice") }

    public static func directory(uid: UInt32, under root: String = unitDirectory) -> String { "\(root)/\(slice(uid: uid)).d" }
    public static func path(uid: UInt32, under root: String = unitDirectory) -> String { "\(directory(uid: uid, under: root))/\(fileName)" }

    /// `/user.slice/user-1001.slice`: the slice's control group.
    public static func controlGroup(uid: UInt32) -> String { "/user.slice/\(slice(uid: uid))" }

    /// The uid of a drop-in directory's name (`user-1001.slice.d` → 1001).
    public static func uid(ofDirectory name: String) -> UInt32? {
        name.hasSuffix(".d") ? uid(ofSlice: String(name.dropLast(2))) : nil
    }

    /// The uid of a login slice's name (`user-1001.slice` → 1001).
    public static func uid(ofSlice name: String) -> UInt32? {
        guard name.hasPrefix("user-"), name.hasSuffix(".slice") else { return nil }
        let middle = name.dropFirst("user-".count).dropLast(".slice".count)
        guard !middle.isEmpty, middle.count <= 10, middle.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return UInt32(middle)
    }

    /// The drop-in for `cap` on `uid`'s slice, with `devices` when the
    /// policy closes GPUs to logins; nil when it sets nothing.
    public static func render(_ cap: LoginCap, uid: UInt32, devices: LoginDeviceRules? = nil) -> UnitDropIn? {
        guard !cap.isEmpty || devices != nil else { return nil }
        var settings: [UnitDropIn.Setting] = []
        if let cpu = cap.cpu?.value {
            // Hundredths of a percent (100 µs per second), rounded up so a
            // cap is never 0; systemd keeps CPUQuota= at this precision.
            let usec = cpu.usecPerSecond
            settings.append(.init(.cpuQuota, cpu.isUnlimited ? .reset : .percent(hundredths: Swift.max(1, usec / 100 + (usec % 100 == 0 ? 0 : 1)))))
        }
        if let mem = cap.mem?.value { settings.append(.init(.memoryMax, mem.isUnlimited ? .infinity : .number(mem.bytes))) }
        if let tasks = cap.tasks?.value { settings.append(.init(.tasksMax, tasks.isInfinite ? .infinity : .number(tasks.count))) }
        if let io = cap.io?.value {
            if let weight = io.weight { settings.append(.init(.ioWeight, .number(weight))) }
            for kind in IOLimits.Kind.allCases {
                for (device, value) in io[kind].sorted(by: { $0.key < $1.key }) {
                    settings.append(.init(directive(kind), .device(device, value)))
                }
            }
        }
        var comments = [UnitDropIn.Comment("Written by fairshared: the policy's login cap for uid ", uid, "."),
                        UnitDropIn.Comment("Rewritten at every start and policy reload; see fairshare-policy(5), LOGIN CAPS.")]
        if let devices {
            comments.append(UnitDropIn.Comment("GPUs are closed to logins (login_gpus: closed): every driver but the GPU ones; see GPUS IN LOGINS."))
            settings += devices.settings
        }
        return UnitDropIn(section: .slice, comments: comments, settings: settings)
    }

    private static func directive(_ kind: IOLimits.Kind) -> UnitDropIn.Directive {
        switch kind {
        case .readBandwidth: .ioReadBandwidthMax
        case .writeBandwidth: .ioWriteBandwidthMax
        case .readIOPS: .ioReadIOPSMax
        case .writeIOPS: .ioWriteIOPSMax
        }
    }
}

/// What to change on disk so the drop-ins present become the ones wanted:
/// files to write (new or different), files to remove (their uid is no
/// longer capped), and whether systemd must re-read its configuration.
public struct LoginDropInPlan: Equatable, Sendable {
    public var write: [UInt32: UnitDropIn] = [:]
    public var remove: [UInt32] = []

    public init(write: [UInt32: UnitDropIn] = [:], remove: [UInt32] = []) {
        self.write = write
        self.remove = remove
    }

    /// One `daemon-reload`, only when a file changes.
    public var needsReload: Bool { !write.isEmpty || !remove.isEmpty }

    /// `present`: the text of each fairshare drop-in on disk, by uid.
    public static func plan(wanted: [UInt32: UnitDropIn], present: [UInt32: String]) -> LoginDropInPlan {
        var plan = LoginDropInPlan()
        for (uid, dropIn) in wanted where present[uid] != dropIn.text { plan.write[uid] = dropIn }
        plan.remove = present.keys.filter { wanted[$0] == nil }.sorted()
        return plan
    }
}
