/// What a login may open once the policy closes GPUs to logins
/// (fairshare-policy(5), GPUS IN LOGINS): systemd has no deny list
/// (`DeviceDeny=` does not exist; `DevicePolicy=closed` is an allow
/// list), so the login slice gets `DevicePolicy=closed` and an allow list
/// of every character and block driver of /proc/devices except the GPU
/// ones, on top of what `closed` always allows (/dev/null, zero, full,
/// random, urandom, tty, ptmx, pseudo-terminals). Pure.
///
/// * GPU drivers, closed with every node they have: NVIDIA's (`nvidia*`:
///   the GPUs, `nvidiactl`, `nvidia-uvm`, `nvidia-modeset`, caps), AMD's
///   compute node `kfd`, and `drm`. The device cgroup matches majors and
///   minors, and systemd's `char-drm` a whole major: DRM's 226 holds both
///   the render nodes fairshare hands out and the display (`card`) nodes,
///   so both are closed. A compositor still gets its `card` descriptor
///   from logind (opened outside the login's slice); GL clients in a
///   desktop session fall back to software rendering. A machine whose
///   users draw on the GPU from their desktop sets `login_gpus: open`.
/// * A GPU node whose major belongs to another driver (only stand-ins
///   made with mknod do that; the system tests' `/dev/nvidia0` is
///   `c 1 11`) closes its major too, and every other node of that major
///   found in /dev is allowed by path, except nodes that open the GPU's
///   own device number. So a stand-in is as closed as a real GPU while
///   /dev/null stays open; a driver that registers later, or a node of a
///   shared major created later, is closed until the next rewrite.
public struct LoginDeviceRules: Equatable, Sendable {
    public struct DriverEntry: Hashable, Sendable, Comparable {
        public var kind: DeviceKind
        public var name: DriverName

        public init(_ kind: DeviceKind, _ name: DriverName) {
            self.kind = kind
            self.name = name
        }

        public static func < (a: DriverEntry, b: DriverEntry) -> Bool { (a.kind, a.name) < (b.kind, b.name) }
    }

    /// Drivers allowed by name (`DeviceAllow=char-NAME rwm`), sorted.
    public var drivers: [DriverEntry]
    /// Nodes allowed one by one (`DeviceAllow=/dev/… rwm`), sorted.
    public var nodes: [DevicePath]
    /// GPU drivers left out, for the journal.
    public var closedDrivers: [String]
    /// Names /proc/devices lists that cannot be written safely; their
    /// devices stay closed.
    public var unusableNames: [String]

    /// The character drivers whose every device is a GPU or serves one.
    public static func isGPUDriver(_ name: String) -> Bool {
        name.hasPrefix("nvidia") || name == "drm" || name == "kfd"
    }

    /// `drivers`: /proc/devices. `gpuNodes`: the GPU nodes the machine has
    /// (with NVIDIA's control nodes). `devNodes`: every node under /dev.
    public static func compute(drivers: DeviceDrivers, gpuNodes: [DeviceNode], devNodes: [DeviceNode]) -> LoginDeviceRules {
        struct Major: Hashable { var kind: DeviceKind; var major: UInt32 }
        let gpuNumbers = Set(gpuNodes.map(\.number))
        let gpuDriverMajors = Set(drivers.drivers.filter { $0.kind == .char && isGPUDriver($0.name) }.map { Major(kind: $0.kind, major: $0.major) })
        let closedMajors = gpuDriverMajors.union(gpuNodes.map { Major(kind: $0.kind, major: $0.major) })
        var byName: [DeviceKind: [String: Set<UInt32>]] = [:]
        for d in drivers.drivers { byName[d.kind, default: [:]][d.name, default: []].insert(d.major) }

        var allowed: [DriverEntry] = [], closed: [String] = [], unusable: [String] = []
        var perNodeMajors: Set<Major> = []
        for kind in [DeviceKind.char, .block] {
            for (name, majors) in (byName[kind] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if kind == .char && isGPUDriver(name) { closed.append(name); continue }
                let shared = majors.contains { closedMajors.contains(Major(kind: kind, major: $0)) }
                if !shared, let checked = DriverName(name) {
                    allowed.append(DriverEntry(kind, checked))
                    continue
                }
                if !shared { unusable.append(name) }   // its nodes, one by one
                // Not by name: node by node, except the GPU drivers' majors.
                for major in majors where !gpuDriverMajors.contains(Major(kind: kind, major: major)) {
                    perNodeMajors.insert(Major(kind: kind, major: major))
                }
            }
        }
        let nodes = devNodes.filter { node in
            perNodeMajors.contains(Major(kind: node.kind, major: node.major)) && !gpuNumbers.contains(node.number)
        }.compactMap { try? DevicePath(checking: $0.path, field: "device node") }
        return LoginDeviceRules(drivers: allowed.sorted(), nodes: Array(Set(nodes)).sorted(), closedDrivers: closed, unusableNames: unusable)
    }

    public init(drivers: [DriverEntry], nodes: [DevicePath], closedDrivers: [String] = [], unusableNames: [String] = []) {
        self.drivers = drivers
        self.nodes = nodes
        self.closedDrivers = closedDrivers
        self.unusableNames = unusableNames
    }

    /// The drop-in settings: `DevicePolicy=closed`, then one `DeviceAllow=`
    /// per driver and per node.
    public var settings: [UnitDropIn.Setting] {
        [UnitDropIn.Setting(.devicePolicy, .closed)]
            + drivers.map { UnitDropIn.Setting(.deviceAllow, .driver($0.kind, $0.name)) }
            + nodes.map { UnitDropIn.Setting(.deviceAllow, .node($0)) }
    }
}
