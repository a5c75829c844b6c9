/// Turns policy files into the policy in force: reads each, merges them in
/// order (later files override earlier ones key by key), then checks the
/// whole. Pure: the caller reads the files and answers account lookups.
public enum PolicyCompiler {
    public struct Source: Sendable {
        public var path: String
        public var bytes: [UInt8]

        public init(path: String, bytes: [UInt8]) {
            self.path = path
            self.bytes = bytes
        }
    }

    /// Whether accounts exist, to warn about entries for unknown ones.
    public struct Accounts: Sendable {
        public var userExists: @Sendable (String) -> Bool
        public var groupExists: @Sendable (String) -> Bool

        public init(userExists: @escaping @Sendable (String) -> Bool, groupExists: @escaping @Sendable (String) -> Bool) {
            self.userExists = userExists
            self.groupExists = groupExists
        }

        /// Every account exists (no warnings).
        public static let any = Accounts(userExists: { _ in true }, groupExists: { _ in true })
    }

    public struct Result: Sendable {
        /// Nil when any diagnostic is an error.
        public var policy: Policy?
        public var diagnostics: [PolicyDiagnostic]
    }

    public static func compile(_ sources: [Source], accounts: Accounts) -> Result {
        var merged = PolicySettings()
        var diagnostics: [PolicyDiagnostic] = []
        for source in sources {
            let (settings, found) = PolicyFileReader.read(source.bytes, path: source.path)
            merged.override(with: settings)
            diagnostics += found
        }
        var checker = ConsistencyCheck(settings: merged, sources: sources)
        checker.run(accounts: accounts)
        diagnostics += checker.diagnostics
        let policy = diagnostics.contains(where: \.isError) ? nil : Policy(settings: merged, files: sources.map(\.path))
        return Result(policy: policy, diagnostics: diagnostics)
    }
}

/// Checks of the merged policy that no single key can fail alone: defaults
/// above maxima, entries for accounts that do not exist.
private struct ConsistencyCheck {
    let settings: PolicySettings
    let sources: [String: SourceLines]
    var diagnostics: [PolicyDiagnostic] = []

    init(settings: PolicySettings, sources: [PolicyCompiler.Source]) {
        self.settings = settings
        var lines: [String: SourceLines] = [:]
        for source in sources { lines[source.path] = SourceLines(source.bytes) }
        self.sources = lines
    }

    mutating func run(accounts: PolicyCompiler.Accounts) {
        checkScope(settings.global, name: "defaults", maxName: "max", inheritedMax: nil)
        let global = Policy(settings: settings).globalLimits.max
        for name in settings.groups.keys.sorted() {
            checkScope(settings.groups[name]!, name: "groups.\(name).default", maxName: "groups.\(name).max", inheritedMax: global)
        }
        for name in settings.users.keys.sorted() {
            checkScope(settings.users[name]!, name: "users.\(name).default", maxName: "users.\(name).max", inheritedMax: global)
        }
        for (name, origin) in settings.userEntries.sorted(by: { $0.key < $1.key }) where !accounts.userExists(name) {
            warn("user '\(name)' does not exist (yet); the entry applies when the account appears", at: origin)
        }
        for (name, origin) in settings.groupEntries.sorted(by: { $0.key < $1.key }) where !accounts.groupExists(name) {
            warn("group '\(name)' does not exist (yet); the entry applies when the group appears", at: origin)
        }
        for case let group? in [settings.adminGroup, settings.readerGroup] where !accounts.groupExists(group.value) {
            warn("group '\(group.value)' does not exist; nobody gets its role until it is created", at: group.origin)
        }
        checkDaemonLimits()
        checkLoginUIDs()
    }

    /// `min_uid` above `max_uid` would cap nobody: an error at the later key.
    private mutating func checkLoginUIDs() {
        let low = settings.minUID?.value ?? LoginAccounts.defaultRange.lowerBound
        let high = settings.maxUID?.value ?? LoginAccounts.defaultRange.upperBound
        guard low > high, let origin = [settings.minUID?.origin, settings.maxUID?.origin].compactMap({ $0 }).first else { return }
        error("min_uid \(low) (\(settings.minUID?.origin ?? .builtin)) is above max_uid \(high) (\(settings.maxUID?.origin ?? .builtin)); no account would get its login cap",
              at: settings.maxUID?.origin ?? origin)
    }

    /// One user's connections above everyone's would let one user hold
    /// every slot: an error.
    private mutating func checkDaemonLimits() {
        let daemon = settings.daemon, limits = daemon.resolved
        guard limits.connectionsPerUser > limits.connections, let origin = (daemon.connectionsPerUser ?? daemon.connections)?.origin else { return }
        error("daemon.connections_per_user \(limits.connectionsPerUser) is above daemon.connections \(limits.connections)"
              + " (\(daemon.connections?.origin ?? .builtin)); one user could hold every connection", at: origin)
    }

    /// A default above the max of its own scope is an error; above a max
    /// inherited from the global section, a warning (it is lowered to it).
    private mutating func checkScope(_ scope: ScopeLimits, name: String, maxName: String, inheritedMax: SourcedResources?) {
        func check<V: Comparable & CustomStringConvertible>(_ key: String, _ value: Sourced<V>?, _ own: Sourced<V>?, _ inherited: Sourced<V>?) {
            guard let value else { return }
            if let own, value.value > own.value {
                error("\(name).\(key) \(value.value) is above \(maxName).\(key) \(own.value) (\(own.origin))", at: value.origin)
            } else if own == nil, let inherited, value.value > inherited.value {
                warn("\(name).\(key) \(value.value) is above the global max.\(key) \(inherited.value) (\(inherited.origin)); it is lowered to \(inherited.value)",
                     at: value.origin)
            }
        }
        check("cpu", scope.defaults.cpu, scope.max.cpu, inheritedMax?.cpu)
        check("mem", scope.defaults.mem, scope.max.mem, inheritedMax?.mem)
        check("tasks", scope.defaults.tasks, scope.max.tasks, inheritedMax?.tasks)
    }

    private mutating func error(_ message: String, at origin: PolicyOrigin) { add(.error, message, at: origin) }
    private mutating func warn(_ message: String, at origin: PolicyOrigin) { add(.warning, message, at: origin) }

    private mutating func add(_ severity: PolicyDiagnostic.Severity, _ message: String, at origin: PolicyOrigin) {
        diagnostics.append(PolicyDiagnostic(severity, path: origin.path, at: origin.location, message,
                                            sourceLine: sources[origin.path]?[origin.location.line]))
    }
}
