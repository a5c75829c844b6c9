import FairshareCore

/// The effects the daemon needs from systemd, as a seam: the real one talks
/// D-Bus, tests use an in-memory fake. Every method completes on the
/// daemon's queue.
public protocol SliceController: AnyObject {
    /// Creates `slice` with `shape` (`create`), or changes the live
    /// slice's properties in place so running processes stay.
    /// `devices`: the slice's device policy (empty when the policy does
    /// not manage GPUs). `resetting`: also send systemd's defaults for
    /// what the shape leaves unset (a policy change, a restart).
    func applySlice(_ slice: UnitName, shape: SliceShape, devices: [UnitProperty], create: Bool, resetting: Bool,
                    completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Sets a few properties of a live slice (reclaim's `MemoryHigh=`).
    func setSliceProperties(_ slice: UnitName, _ properties: [UnitProperty],
                            completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Pressure stall information of a slice (nil where the kernel has none).
    func pressure(of slice: UnitName) -> SlicePressure?
    /// Caps the parent of all user slices, so together they never take
    /// more than the pool (the machine minus the policy's reserve).
    /// `protected`: its `MemoryMin=`/`MemoryLow=` (0: none). The kernel
    /// passes protection down only as far as every ancestor has it, so
    /// lending slices' `MemoryMin=` needs the parent's.
    func capPool(_ slice: UnitName, capacity: Capacity, protected: ByteSize, completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Stops the slice and everything in it.
    func stopSlice(_ slice: UnitName, completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Moves `pid` into a new scope `scope` inside `slice`; by `pidfd`
    /// where systemd takes one (253+), so only that very process moves.
    /// `limits`: properties of the scope's own (CPUQuotaPerSecUSec, …).
    func startScope(_ scope: UnitName, slice: UnitName, pid: Int32, pidfd: Int32?, description: UnitText, limits: [UnitProperty],
                    completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// The unit a process is in now (nil when systemd cannot tell).
    func unit(ofProcess pid: Int32) -> UnitName?
    /// Moves a running process into `unit` (to undo a move).
    func moveProcess(_ pid: Int32, to unit: UnitName, completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// Starts the service `unit` in `slice` running `argv` as `uid` in
    /// `cwd`, stdout and stderr appended to `logPath`; it stays loaded
    /// after it exits so its status can be read.
    /// Every value is a checked type: nothing a client sent reaches
    /// systemd as a plain string.
    func startJob(_ unit: UnitName, slice: UnitName, uid: UInt32, cwd: AbsolutePath, argv: [CommandArgument], environment: [UnitText],
                  logPath: AbsolutePath, limits: [UnitProperty], description: UnitText,
                  completion: @escaping (Result<Void, ControllerError>) -> Void)
    /// The job's state as systemd reports it; `.gone` only when systemd
    /// says it does not know the unit, never for a failed read. Asked once
    /// per running job at start-up; afterwards jobs are tracked from
    /// `jobUnitChanged`.
    func jobState(_ unit: UnitName) -> JobStateReading
    /// Set by the daemon, called on its queue when systemd's signals say a
    /// job's service changed state (`.state`) or was unloaded (`.gone`).
    var jobUnitChanged: ((UnitName, JobStateReading) -> Void)? { get set }
    /// Live usage of a unit inside a user's slice (a job's service).
    func usage(ofUnit unit: UnitName, inSlice slice: UnitName) -> SliceUsage
    /// Live usage of a slice (nil fields where nothing could be read).
    func usage(of slice: UnitName) -> SliceUsage
    /// The user slices that exist now, with their limits.
    func listSlices(completion: @escaping (Result<[SliceInfo], ControllerError>) -> Void)
}

/// What a slice uses now: CPU time so far, memory, tasks, block IO.
public struct SliceUsage: Equatable, Sendable {
    public var cpuUsec: UInt64?
    public var memoryBytes: UInt64?
    public var tasks: UInt64?
    public var ioReadBytes: UInt64?
    public var ioWriteBytes: UInt64?

    public init(cpuUsec: UInt64? = nil, memoryBytes: UInt64? = nil, tasks: UInt64? = nil,
                ioReadBytes: UInt64? = nil, ioWriteBytes: UInt64? = nil) {
        self.cpuUsec = cpuUsec
        self.memoryBytes = memoryBytes
        self.tasks = tasks
        self.ioReadBytes = ioReadBytes
        self.ioWriteBytes = ioWriteBytes
    }
}

/// A job's service as systemd reports it.
public struct JobUnitState: Equatable, Sendable {
    /// Still running (or starting, or stopping).
    public var running: Bool
    public var pid: UInt32?
    /// CLD_EXITED (1), CLD_KILLED (2), CLD_DUMPED (3); 0 before it ended.
    public var exitCode: Int32
    public var exitStatus: Int32

    public init(running: Bool, pid: UInt32?, exitCode: Int32, exitStatus: Int32) {
        self.running = running
        self.pid = pid
        self.exitCode = exitCode
        self.exitStatus = exitStatus
    }
}

/// What asking systemd about a job's unit gave.
public enum JobStateReading: Equatable, Sendable {
    case state(JobUnitState)
    /// systemd does not know the unit (any more): it has ended and was collected.
    case gone
    /// The read failed (bus error, timeout): nothing is known, the job is
    /// taken to be as it was.
    case unreadable(ControllerError)

    public var state: JobUnitState? {
        if case .state(let s) = self { return s }
        return nil
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
