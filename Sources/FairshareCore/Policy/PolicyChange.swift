/// One `fairshare admin set-default` or `set-max`: new values for some
/// keys of one scope's block, or (`reset`) the block removed from the
/// daemon's override file so the hand-written files apply again.
public struct PolicyChange: Equatable, Sendable {
    public enum Block: String, Sendable {
        case defaults
        case max
    }

    public var scope: PolicyScope
    public var block: Block
    public var cpu: CPUQuantity?
    public var mem: ByteSize?
    public var tasks: TaskLimit?
    public var reset: Bool

    public init(scope: PolicyScope, block: Block, cpu: CPUQuantity? = nil, mem: ByteSize? = nil, tasks: TaskLimit? = nil, reset: Bool = false) {
        self.scope = scope
        self.block = block
        self.cpu = cpu
        self.mem = mem
        self.tasks = tasks
        self.reset = reset
    }

    /// Why the change cannot be made as given, if it cannot.
    public var problem: String? {
        let hasValues = cpu != nil || mem != nil || tasks != nil
        if reset && hasValues { return "--reset removes the whole block; give it without --cpu, --mem or --tasks" }
        if !reset && !hasValues { return "nothing to set: give --cpu, --mem or --tasks (or --reset)" }
        if block == .defaults && (cpu?.isUnlimited == true || mem?.isUnlimited == true) {
            return "a default cannot be infinity"
        }
        return nil
    }
}

extension PolicySettings {
    /// Applies `change` to this (the override file's settings).
    public mutating func apply(_ change: PolicyChange, origin: PolicyOrigin) {
        var scope = self[change.scope]
        var limits = change.block == .max ? scope.max : scope.defaults
        if change.reset {
            limits = ResourceLimits()
        } else {
            if let cpu = change.cpu { limits.cpu = Sourced(cpu, from: origin) }
            if let mem = change.mem { limits.mem = Sourced(mem, from: origin) }
            if let tasks = change.tasks { limits.tasks = Sourced(tasks, from: origin) }
        }
        if change.block == .max { scope.max = limits } else { scope.defaults = limits }
        self[change.scope] = scope
        switch change.scope {
        case .global: break
        case .user(let name):
            if users[name] == nil { userEntries[name] = nil } else if userEntries[name] == nil { userEntries[name] = origin }
        case .group(let name):
            if groups[name] == nil { groupEntries[name] = nil } else if groupEntries[name] == nil { groupEntries[name] = origin }
        }
    }
}
