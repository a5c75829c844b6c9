import FairshareCore

/// The effects the daemon needs from systemd, as a seam: the real one talks
/// D-Bus, tests use an in-memory fake. Every method completes on the
/// daemon's queue.
public protocol SliceController: AnyObject {
    /// Creates `slice` with `resources` (`create`), or changes the live
    /// slice's properties in place so running processes stay.
    func applySlice(_ slice: String, resources: Resources, create: Bool,
                    completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Caps the parent of all user slices, so together they never take
    /// more than the pool (the machine minus the policy's reserve).
    func capPool(_ slice: String, capacity: Capacity, completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Stops the slice and everything in it.
    func stopSlice(_ slice: String, completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Moves `pid` into a new scope `scope` inside `slice`.
    /// `limits`: properties of the scope's own (CPUQuotaPerSecUSec, …).
    func startScope(_ scope: String, slice: String, pid: Int32, description: String, limits: [UnitProperty],
                    completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Live usage of a slice (nil fields where nothing could be read).
    func usage(of slice: String) -> SliceUsage
    /// The user slices that exist now, with their limits.
    func listSlices(completion: @escaping (Result<[SliceInfo], ControllerError>) -> Void)
}

/// What a slice uses now: CPU time so far, memory, tasks.
public struct SliceUsage: Equatable, Sendable {
    public var cpuUsec: UInt64?
    public var memoryBytes: UInt64?
    public var tasks: UInt64?

    public init(cpuUsec: UInt64? = nil, memoryBytes: UInt64? = nil, tasks: UInt64? = nil) {
        self.cpuUsec = cpuUsec
        self.memoryBytes = memoryBytes
        self.tasks = tasks
    }
}

/// A user slice as systemd reports it.
public struct SliceInfo: Equatable, Sendable {
    public var name: String
    /// Nil when not read (the daemon's state already knows them).
    public var resources: Resources?

    public init(name: String, resources: Resources?) {
        self.name = name
        self.resources = resources
    }
}

/// systemd refused or failed: the D-Bus error name when there is one.
public struct ControllerError: Error, Equatable, Sendable, CustomStringConvertible {
    public var message: String
    public var busErrorName: String?

    public init(_ message: String, busErrorName: String? = nil) {
        self.message = message
        self.busErrorName = busErrorName
    }

    public var description: String {
        busErrorName.map { "\(message) (\($0))" } ?? message
    }
}
