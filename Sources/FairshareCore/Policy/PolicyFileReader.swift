/// Reads one policy file: the YAML subset first, then fairshare's schema
/// (fairshare-policy(5)). A syntax error ends the file; schema errors are
/// all collected, so one `admin check` lists every mistake.
public struct PolicyFileReader {
    /// The keys of a policy file's global section.
    public static let globalKeys = ["defaults", "max", "admin_group", "reader_group", "reserve", "overcommit",
                                    "allocator", "idle_release", "disk", "daemon", "users", "groups", "user", "group",
                                    "login", "min_uid", "max_uid", "min", "strays", "login_gpus", "sharing", "burst", "remote"]
    /// The keys of a user or group entry (`default` also reads `defaults`).
    public static let entryKeys = ["default", "max", "disk", "login", "sharing", "burst"]
    public static let limitKeys = ["cpu", "mem", "tasks", "io", "gpus"]
    /// A `login:` block caps what a login session may use: no GPUs.
    public static let loginKeys = ["cpu", "mem", "tasks", "io"]
    static let ioKeys = ["weight"] + IOLimits.Kind.allCases.map(\.rawValue)
    static let diskKeys = ["path", "soft", "hard", "inodes_soft", "inodes_hard"]
    /// `reserve:` and `min:` are about the pooled resources only.
    static let poolKeys = ["cpu", "mem"]
    static let overcommitKeys = ["cpu"]

    public static func read(_ bytes: [UInt8], path: String) -> (settings: PolicySettings, diagnostics: [PolicyDiagnostic]) {
        var reader = PolicyFileReader(path: path, bytes: bytes)
        do {
            reader.readDocument(try YAMLParser.parse(bytes))
        } catch {
            reader.report(error.message, at: error.location)
        }
        return (reader.settings, reader.diagnostics)
    }

    private let path: String
    private let lines: SourceLines
    private var settings = PolicySettings()
    private var diagnostics: [PolicyDiagnostic] = []

    private init(path: String, bytes: [UInt8]) {
        self.path = path
        self.lines = SourceLines(bytes)
    }

    // MARK: - sections

    private mutating func readDocument(_ root: YAMLNode) {
        if root.isNull { return }
        guard let entries = mapping(root, what: "a policy file", example: "defaults:") else { return }
        let hasUser = entries.contains { $0.key == "user" }, hasGroup = entries.contains { $0.key == "group" }
        if hasUser || hasGroup {
            readEntryFile(entries, kind: hasUser ? .user : .group)
            return
        }
        for entry in deduplicatingAliases(entries, canonical: "defaults", alias: "default") {
            switch entry.key {
            case "defaults", "default": settings.global.defaults = readLimits(entry.value, context: "defaults", block: .defaults)
            case "max": settings.global.max = readLimits(entry.value, context: "max", block: .max)
            case "admin_group", "reader_group":
                let name = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.accountName(text, kind: "group") }
                if entry.key == "admin_group" { settings.adminGroup = name } else { settings.readerGroup = name }
            case "reserve": readReserve(entry.value)
            case "min": readMinimum(entry.value)
            case "overcommit": readOvercommit(entry.value)
            case "allocator": settings.allocator = value(entry, PolicyValue.allocator)
            case "idle_release": settings.idleRelease = value(entry, PolicyValue.idleRelease)
            case "disk": settings.global.disk = readDisk(entry, context: "disk")
            case "daemon": readDaemon(entry.value)
            case "login": settings.global.login = readLimits(entry.value, context: "login", block: .login)
            case "sharing": settings.global.sharing = value(entry, PolicyValue.sharing)
            case "burst": settings.global.burst = readBurst(entry, context: "burst")
            case "min_uid": settings.minUID = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.loginUID(text, key: "min_uid") }
            case "max_uid": settings.maxUID = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.loginUID(text, key: "max_uid") }
            case "strays": readStrays(entry)
            case "login_gpus": settings.loginGPUs = value(entry, PolicyValue.loginGPUs)
            case "remote": readRemote(entry)
            case "users": readEntries(entry.value, kind: .user, context: "users")
            case "groups": readEntries(entry.value, kind: .group, context: "groups")
            default: reportUnknownKey(entry, in: nil, known: Self.globalKeys)
            }
        }
    }

    private enum EntryKind: String {
        case user
        case group
    }

    /// A file of one user's or group's entry (`user: alice`, `default:`,
    /// `max:`), the seed's form.
    private mutating func readEntryFile(_ entries: [YAMLEntry], kind: EntryKind) {
        var name: String?
        var scope = ScopeLimits()
        for entry in deduplicatingAliases(entries, canonical: "default", alias: "defaults") {
            switch entry.key {
            case kind.rawValue:
                name = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.accountName(text, kind: kind.rawValue) }?.value
            case "user", "group":
                report("a file holds either 'user:' or 'group:', not both", at: entry.keyLocation)
            case "default", "defaults": scope.defaults = readLimits(entry.value, context: "default", block: .defaults)
            case "max": scope.max = readLimits(entry.value, context: "max", block: .max)
            case "disk": scope.disk = readDisk(entry, context: "disk")
            case "login": scope.login = readLimits(entry.value, context: "login", block: .login)
            case "sharing": scope.sharing = value(entry, PolicyValue.sharing)
            case "burst": scope.burst = readBurst(entry, context: "burst")
            default:
                let hint = KeySuggestion.nearest(to: entry.key, in: Self.entryKeys).map { "; did you mean '\($0)'?" } ?? ""
                report("'\(entry.key)' cannot be in a '\(kind.rawValue):' file, which holds only '\(kind.rawValue)', 'default', 'max', 'disk', 'login', 'sharing' and 'burst'\(hint)"
                       + (hint.isEmpty && Self.globalKeys.contains(entry.key) ? " (global keys go in a file without '\(kind.rawValue):')" : ""),
                       at: entry.keyLocation)
            }
        }
        guard let name else { return }
        let origin = entries.first { $0.key == kind.rawValue }.map(self.origin) ?? PolicyOrigin(path: path, at: SourceLocation(line: 1, column: 1))
        register(name, kind: kind, scope: scope, origin: origin)
    }

    /// `users:` or `groups:`: a mapping of names to entries.
    private mutating func readEntries(_ node: YAMLNode, kind: EntryKind, context: String) {
        guard !node.isNull, let entries = mapping(node, what: "'\(context)'", example: "alice:") else { return }
        for entry in entries {
            if let problem = AccountName.problem(entry.key) {
                report("invalid \(kind.rawValue) name '\(entry.key)': it \(problem)", at: entry.keyLocation)
                continue
            }
            var scope = ScopeLimits()
            let entryPath = "\(context).\(entry.key)"
            if !entry.value.isNull, let fields = mapping(entry.value, what: "'\(entryPath)'", example: "max:") {
                for field in deduplicatingAliases(fields, canonical: "default", alias: "defaults") {
                    switch field.key {
                    case "default", "defaults": scope.defaults = readLimits(field.value, context: "\(entryPath).default", block: .defaults)
                    case "max": scope.max = readLimits(field.value, context: "\(entryPath).max", block: .max)
                    case "disk": scope.disk = readDisk(field, context: "\(entryPath).disk")
                    case "login": scope.login = readLimits(field.value, context: "\(entryPath).login", block: .login)
                    case "sharing": scope.sharing = value(field, PolicyValue.sharing)
                    case "burst": scope.burst = readBurst(field, context: "\(entryPath).burst")
                    default: reportUnknownKey(field, in: entryPath, known: Self.entryKeys)
                    }
                }
            }
            register(entry.key, kind: kind, scope: scope, origin: self.origin(entry))
        }
    }

    private mutating func register(_ name: String, kind: EntryKind, scope: ScopeLimits, origin: PolicyOrigin) {
        switch kind {
        case .user:
            settings.users[name, default: ScopeLimits()].override(with: scope)
            settings.userEntries[name] = settings.userEntries[name] ?? origin
        case .group:
            settings.groups[name, default: ScopeLimits()].override(with: scope)
            settings.groupEntries[name] = settings.groupEntries[name] ?? origin
        }
    }

    // MARK: - blocks

    /// Which block a `cpu`/`mem`/`tasks`/`io`/`gpus` mapping is.
    private enum LimitBlock {
        case defaults
        case max
        /// `login:`, the cap on a login slice: no GPUs; `infinity` lifts
        /// a cap a less specific scope sets.
        case login

        var allowsInfinity: Bool { self != .defaults }
        var keys: [String] { self == .login ? PolicyFileReader.loginKeys : PolicyFileReader.limitKeys }
    }

    /// `cpu`, `mem`, `tasks`, `io`, `gpus` of a `defaults:`/`default:`,
    /// `max:` or `login:` block.
    private mutating func readLimits(_ node: YAMLNode, context: String, block: LimitBlock) -> ResourceLimits {
        var limits = ResourceLimits()
        guard !node.isNull, let entries = mapping(node, what: "'\(context)'", example: "cpu: 2") else { return limits }
        let infinity = block.allowsInfinity
        for entry in entries {
            switch entry.key {
            case "cpu": limits.cpu = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.cpu(text, allowInfinity: infinity) }
            case "mem": limits.mem = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.size(text, allowInfinity: infinity) }
            case "tasks": limits.tasks = value(entry, PolicyValue.tasks)
            case "io": limits.io = readIO(entry, context: "\(context).io")
            case "gpus" where block == .login:
                report("'gpus' cannot be in '\(context)': a login session's GPU access is its device policy, not a cap; "
                       + "the global 'login_gpus: open' or 'closed' sets it (see GPUS IN LOGINS in fairshare-policy(5))",
                       at: entry.keyLocation)
            case "gpus": limits.gpus = readGPUs(entry)
            default: reportUnknownKey(entry, in: context, known: block.keys)
            }
        }
        return limits
    }

    /// `io: {weight: 200, read_bw: {/dev/vda: 50M}, write_iops: {/dev/vda: 1000}}`.
    private mutating func readIO(_ entry: YAMLEntry, context: String) -> Sourced<IOLimits>? {
        guard !entry.value.isNull, let fields = mapping(entry.value, what: "'\(context)'", example: "weight: 100") else { return nil }
        var io = IOLimits()
        for field in fields {
            if field.key == "weight" {
                io.weight = value(field, PolicyValue.ioWeight)?.value
            } else if let kind = IOLimits.Kind(rawValue: field.key) {
                guard !field.value.isNull, let devices = mapping(field.value, what: "'\(context).\(field.key)'", example: "/dev/vda: 50M") else { continue }
                for device in devices {
                    let path: DevicePath
                    do {
                        path = try PolicyValue.devicePath(device.key)
                    } catch {
                        report(error.message, at: device.keyLocation)
                        continue
                    }
                    if let rate = value(device, { (text) throws(PolicyValue.Problem) in try PolicyValue.ioRate(text, bandwidth: kind.isBandwidth) }) {
                        io[kind][path] = rate.value
                    }
                }
            } else {
                reportUnknownKey(field, in: context, known: Self.ioKeys)
            }
        }
        return Sourced(io, from: origin(entry))
    }

    /// `gpus: 2`, or `gpus: [/dev/nvidia0, /dev/nvidia1]`.
    private mutating func readGPUs(_ entry: YAMLEntry) -> Sourced<GPUSpec>? {
        guard let items = entry.value.items else {
            return value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.gpuCount(text) }
        }
        var devices: [String] = []
        for item in items {
            guard let path = item.scalar, !item.isNull else {
                report("'gpus' lists device paths such as /dev/nvidia0, not \(item.kindDescription)", at: item.location)
                continue
            }
            do {
                _ = try PolicyValue.devicePath(path)
            } catch {
                report(error.message, at: item.location)
                continue
            }
            if devices.contains(path) { report("'\(path)' is listed twice", at: item.location); continue }
            devices.append(path)
        }
        return Sourced(.devices(devices), from: origin(entry))
    }

    /// `disk: {path: /home, soft: 40G, hard: 50G, inodes_soft: …, inodes_hard: …}`.
    private mutating func readDisk(_ entry: YAMLEntry, context: String) -> Sourced<DiskQuota>? {
        guard !entry.value.isNull, let fields = mapping(entry.value, what: "'\(context)'", example: "path: /home") else { return nil }
        var quota = DiskQuota(path: "")
        for field in fields {
            switch field.key {
            case "path":
                if let path = value(field, { (text) throws(PolicyValue.Problem) in
                    guard text.hasPrefix("/") else { throw PolicyValue.Problem("'\(text)' is not an absolute path; write the mount point, e.g. /home") }
                    return text
                }) { quota.path = path.value }
            case "soft": quota.soft = value(field) { (text) throws(PolicyValue.Problem) in try PolicyValue.size(text, allowInfinity: false) }?.value
            case "hard": quota.hard = value(field) { (text) throws(PolicyValue.Problem) in try PolicyValue.size(text, allowInfinity: false) }?.value
            case "inodes_soft": quota.inodesSoft = value(field, PolicyValue.tasks)?.value.count
            case "inodes_hard": quota.inodesHard = value(field, PolicyValue.tasks)?.value.count
            default: reportUnknownKey(field, in: context, known: Self.diskKeys)
            }
        }
        if quota.path.isEmpty {
            // A path given but invalid was reported already.
            if fields.contains(where: { $0.key == "path" }) { return nil }
            report("'\(context)' needs 'path', the file system the quota is on (e.g. path: /home)", at: entry.keyLocation)
            return nil
        }
        if let soft = quota.soft, let hard = quota.hard, soft > hard {
            report("'\(context)': soft \(soft) is above hard \(hard)", at: entry.keyLocation)
        }
        return Sourced(quota, from: origin(entry))
    }

    /// `burst: max`, `burst: 2x`, or `burst: {cpu: 2, mem: 4G}`.
    private mutating func readBurst(_ entry: YAMLEntry, context: String) -> Sourced<Burst>? {
        guard entry.value.entries != nil else { return value(entry, PolicyValue.burst) }
        guard let fields = mapping(entry.value, what: "'\(context)'", example: "cpu: 2") else { return nil }
        var cpu: CPUQuantity?, mem: ByteSize?
        for field in fields {
            switch field.key {
            case "cpu": cpu = value(field) { (text) throws(PolicyValue.Problem) in try PolicyValue.cpu(text, allowInfinity: false) }?.value
            case "mem": mem = value(field) { (text) throws(PolicyValue.Problem) in try PolicyValue.size(text, allowInfinity: false) }?.value
            default: reportUnknownKey(field, in: context, known: Self.poolKeys)
            }
        }
        return Sourced(.amount(cpu: cpu, mem: mem), from: origin(entry))
    }

    /// `reserve: {cpu: 1, mem: 2G}`: kept for the system; 0 is allowed.
    private mutating func readReserve(_ node: YAMLNode) {
        readPoolAmounts(node, context: "reserve", cpu: \.reserveCPU, mem: \.reserveMem)
    }

    /// `min: {cpu: 0.1, mem: 64M}`: the smallest grant worth making when
    /// defaults shrink to fit.
    private mutating func readMinimum(_ node: YAMLNode) {
        readPoolAmounts(node, context: "min", cpu: \.minCPU, mem: \.minMem)
    }

    /// A block of the two pooled resources, `cpu` and `mem`, zero allowed.
    private mutating func readPoolAmounts(_ node: YAMLNode, context: String, cpu: WritableKeyPath<PolicySettings, Sourced<CPUQuantity>?>,
                                          mem: WritableKeyPath<PolicySettings, Sourced<ByteSize>?>) {
        guard !node.isNull, let entries = mapping(node, what: "'\(context)'", example: "cpu: 1") else { return }
        for entry in entries {
            switch entry.key {
            case "cpu": settings[keyPath: cpu] = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.cpu(text, allowInfinity: false, allowZero: true) }
            case "mem": settings[keyPath: mem] = value(entry) { (text) throws(PolicyValue.Problem) in try PolicyValue.size(text, allowInfinity: false, allowZero: true) }
            default: reportUnknownKey(entry, in: context, known: Self.poolKeys)
            }
        }
    }

    private mutating func readOvercommit(_ node: YAMLNode) {
        guard !node.isNull, let entries = mapping(node, what: "'overcommit'", example: "cpu: 2.0") else { return }
        for entry in entries {
            if entry.key == "cpu" {
                settings.cpuOvercommit = value(entry, PolicyValue.overcommit)
            } else {
                reportUnknownKey(entry, in: "overcommit", known: Self.overcommitKeys)
            }
        }
    }

    /// `daemon: {connections_per_user: 64, requests_per_second: 50000, …}`.
    private mutating func readDaemon(_ node: YAMLNode) {
        guard !node.isNull, let entries = mapping(node, what: "'daemon'", example: "connections_per_user: 64") else { return }
        let connections = { (text: String) throws(PolicyValue.Problem) in
            try PolicyValue.count(text, what: "connection count", example: "64", allowZero: false, max: DaemonLimits.maxConnections)
        }
        let rate = { (text: String) throws(PolicyValue.Problem) in
            try PolicyValue.count(text, what: "request count", example: "50000", allowZero: false, max: DaemonLimits.maxRequestRate)
        }
        for entry in entries {
            switch entry.key {
            case "connections": settings.daemon.connections = value(entry, connections)
            case "connections_per_user": settings.daemon.connectionsPerUser = value(entry, connections)
            case "reserved_connections":
                settings.daemon.reservedConnections = value(entry) { (text) throws(PolicyValue.Problem) in
                    try PolicyValue.count(text, what: "connection count", example: "8", allowZero: true, max: DaemonLimits.maxConnections)
                }
            case "requests_per_second": settings.daemon.requestsPerSecond = value(entry, rate)
            case "request_burst": settings.daemon.requestBurst = value(entry, rate)
            case "reply_buffer":
                settings.daemon.replyBuffer = value(entry) { (text) throws(PolicyValue.Problem) in
                    let size = try PolicyValue.size(text, allowInfinity: false)
                    guard size >= DaemonLimits.minReplyBuffer, size <= DaemonLimits.maxReplyBuffer else {
                        throw PolicyValue.Problem("reply_buffer \(size) is outside \(DaemonLimits.minReplyBuffer) to \(DaemonLimits.maxReplyBuffer); the default is 256K")
                    }
                    return size
                }
            case "running_jobs_per_user", "kept_jobs_per_user":
                let count = value(entry) { (text) throws(PolicyValue.Problem) in
                    try PolicyValue.count(text, what: "job count", example: "64", allowZero: entry.key == "kept_jobs_per_user", max: DaemonLimits.maxJobs)
                }
                if entry.key == "running_jobs_per_user" { settings.daemon.runningJobsPerUser = count } else { settings.daemon.keptJobsPerUser = count }
            default: reportUnknownKey(entry, in: "daemon", known: DaemonLimitSettings.keys)
            }
        }
    }

    /// `strays: {mode: adopt, interval: 5s, ignore: [docker-*.scope]}`, or
    /// `strays: adopt` for the mode alone.
    private mutating func readStrays(_ entry: YAMLEntry) {
        if entry.value.entries == nil, entry.value.items == nil, !entry.value.isNull {
            settings.strays.mode = value(entry, PolicyValue.strayMode)
            return
        }
        guard !entry.value.isNull, let fields = mapping(entry.value, what: "'strays'", example: "mode: report") else { return }
        for field in fields {
            switch field.key {
            case "mode": settings.strays.mode = value(field, PolicyValue.strayMode)
            case "interval": settings.strays.interval = value(field, PolicyValue.strayInterval)
            case "ignore": settings.strays.ignore = readUnitGlobs(field)
            default: reportUnknownKey(field, in: "strays", known: StraySettings.keys)
            }
        }
    }

    /// `remote: {gateway: fairshare-remote}`: who may act on behalf of members.
    private mutating func readRemote(_ entry: YAMLEntry) {
        guard !entry.value.isNull, let fields = mapping(entry.value, what: "'remote'", example: "gateway: fairshare-remote") else { return }
        for field in fields {
            switch field.key {
            case "gateway": settings.remoteGateway = value(field) { (text) throws(PolicyValue.Problem) in try PolicyValue.accountName(text, kind: "user") }
            default: reportUnknownKey(field, in: "remote", known: Self.remoteKeys)
            }
        }
    }

    /// The keys of `remote:`.
    public static let remoteKeys = ["gateway"]

    /// `ignore: [cron.service, "docker-*.scope"]`: unit name patterns.
    private mutating func readUnitGlobs(_ entry: YAMLEntry) -> Sourced<[UnitGlob]>? {
        guard let items = entry.value.items else {
            report("'ignore' lists unit name patterns such as [cron.service, \"docker-*.scope\"], not \(entry.value.kindDescription)", at: entry.value.location)
            return nil
        }
        var globs: [UnitGlob] = []
        for item in items {
            guard let text = item.scalar, !item.isNull else {
                report("'ignore' lists unit name patterns, not \(item.kindDescription)", at: item.location)
                continue
            }
            do {
                let glob = try PolicyValue.unitGlob(text)
                if globs.contains(glob) { report("'\(text)' is listed twice", at: item.location); continue }
                globs.append(glob)
            } catch {
                report(error.message, at: item.location)
            }
        }
        return Sourced(globs, from: origin(entry))
    }

    // MARK: - values

    /// The entries of a mapping node, or an error saying what was expected.
    private mutating func mapping(_ node: YAMLNode, what: String, example: String) -> [YAMLEntry]? {
        if let entries = node.entries { return entries }
        report("\(what) must be a mapping of keys (like '\(example) …'), not \(node.kindDescription)", at: node.location)
        return nil
    }

    /// A scalar value read by `read`, with the key's origin; nil (and an
    /// error) when it is missing, not a single value, or invalid.
    private mutating func value<T>(_ entry: YAMLEntry, _ read: (String) throws(PolicyValue.Problem) -> T) -> Sourced<T>? {
        guard let text = entry.value.scalar else {
            report("'\(entry.key)' takes a single value, not \(entry.value.kindDescription)", at: entry.value.location)
            return nil
        }
        if entry.value.isNull {
            report("'\(entry.key)' has no value; give one or remove the line", at: entry.keyLocation)
            return nil
        }
        do {
            return Sourced(try read(text), from: origin(entry))
        } catch {
            report(error.message, at: entry.value.location)
            return nil
        }
    }

    /// `defaults` and `default` are one key: both in one mapping is an error.
    private mutating func deduplicatingAliases(_ entries: [YAMLEntry], canonical: String, alias: String) -> [YAMLEntry] {
        guard let first = entries.firstIndex(where: { $0.key == canonical || $0.key == alias }) else { return entries }
        var kept = entries
        for index in entries.indices.reversed() where index > first && (entries[index].key == canonical || entries[index].key == alias) {
            report("'\(entries[index].key)' repeats '\(entries[first].key)' from line \(entries[first].keyLocation.line) ('\(canonical)' and '\(alias)' are the same key)",
                   at: entries[index].keyLocation)
            kept.remove(at: index)
        }
        return kept
    }

    private mutating func reportUnknownKey(_ entry: YAMLEntry, in context: String?, known: [String]) {
        let place = context.map { " in '\($0)'" } ?? ""
        var message = "unknown key '\(entry.key)'\(place)"
        if context == nil, KeySuggestion.nearest(to: entry.key, in: known) == nil,
           let limit = KeySuggestion.nearest(to: entry.key, in: Self.limitKeys) {
            message += limit == entry.key ? "; '\(limit)' belongs inside 'defaults:' or 'max:'" : "; did you mean '\(limit)' inside 'defaults:' or 'max:'?"
        } else if let suggestion = KeySuggestion.nearest(to: entry.key, in: known) {
            message += "; did you mean '\(suggestion)'?"
        } else {
            message += " (known: \(known.joined(separator: ", ")))"
        }
        report(message, at: entry.keyLocation)
    }

    private func origin(_ entry: YAMLEntry) -> PolicyOrigin { PolicyOrigin(path: path, at: entry.keyLocation) }

    private mutating func report(_ message: String, at location: SourceLocation) {
        diagnostics.append(PolicyDiagnostic(.error, path: path, at: location, message, sourceLine: lines[location.line]))
    }
}
