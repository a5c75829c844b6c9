/// Which GPU nodes a user gets. GPUs are not shared: a node held by one
/// user is not given to another. Pure.
public enum GPUAssignment {
    /// `count` nodes for a user who holds `held`: as many of those as still
    /// wanted (a change keeps the GPUs a running program has open), then
    /// free ones in order — from `allowed` when the policy names devices,
    /// else from the machine's `pool`. `taken`: nodes other users hold.
    public static func choose(count: Int, held: [String], allowed: [String]?, pool: [String],
                              taken: Set<String>) -> Result<[String], Refusal> {
        let candidates = allowed ?? pool
        var chosen = Array(held.filter { candidates.contains($0) }.prefix(count))
        for node in candidates where chosen.count < count && !chosen.contains(node) && !taken.contains(node) && pool.contains(node) {
            chosen.append(node)
        }
        guard chosen.count == count else {
            let free = candidates.filter { !taken.contains($0) && pool.contains($0) }.count
            let which = allowed == nil ? "of the machine's \(pool.count)" : "of the \(candidates.count) your policy names"
            return .failure(Refusal(resource: .gpus, bound: .available, requested: "\(count)",
                                    limit: "\(free) free \(which)", fits: "\(free)"))
        }
        return .success(chosen)
    }

    /// The GPU nodes on this machine among `paths` (a directory listing of
    /// /dev and /dev/dri): NVIDIA GPUs (`/dev/nvidia0`, …) and DRM render
    /// nodes (`/dev/dri/renderD128`, …), in numeric order.
    public static func gpuNodes(in paths: [String]) -> [String] {
        func number(_ path: String, after prefix: String) -> Int? {
            guard path.hasPrefix(prefix) else { return nil }
            let rest = path.dropFirst(prefix.count)
            return !rest.isEmpty && rest.allSatisfy(\.isASCIIDigit) ? Int(rest) : nil
        }
        let nvidia = paths.compactMap { p in number(p, after: "/dev/nvidia").map { (p, $0) } }
        let render = paths.compactMap { p in number(p, after: "/dev/dri/renderD").map { (p, $0) } }
        return nvidia.sorted { $0.1 < $1.1 }.map(\.0) + render.sorted { $0.1 < $1.1 }.map(\.0)
    }

    /// NVIDIA's control nodes: every program that uses an NVIDIA GPU opens
    /// them, so a user holding one gets them too.
    public static let nvidiaControlNodes = ["/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/nvidia-uvm-tools", "/dev/nvidia-modeset"]

    /// The slice's device properties once the policy manages GPUs:
    /// `DevicePolicy=closed` (systemd still allows /dev/null, zero, full,
    /// random, urandom, tty, ptmx and pseudo-terminals) plus `/dev/fuse`,
    /// the held GPU nodes and, with an NVIDIA GPU, its control nodes that
    /// exist (`present`). Everything else is denied by the kernel.
    /// A node that is not a plain device path (a state file edited by
    /// hand) is left out, so the kernel denies it.
    public static func unitProperties(held: [String], present: Set<String>) -> [UnitProperty] {
        var nodes = ["/dev/fuse"] + held
        if held.contains(where: { $0.hasPrefix("/dev/nvidia") }) {
            nodes += nvidiaControlNodes.filter(present.contains)
        }
        let allow = [UnitProperty.DeviceAccess(deviceClass: "char-pts", "rw")]
            + nodes.compactMap { try? DevicePath(checking: $0, field: "gpus") }.map { UnitProperty.DeviceAccess($0, "rw") }
        return [
            UnitProperty("DevicePolicy", .text("closed")),
            UnitProperty("DeviceAllow", .deviceAccess([])),
            UnitProperty("DeviceAllow", .deviceAccess(allow)),
        ]
    }
}

extension GPUAssignment {
    /// What a slice gets when the policy stops handing out GPUs: systemd's
    /// default device policy and no allow list.
    public static let unmanagedProperties = [
        UnitProperty("DevicePolicy", .text("auto")),
        UnitProperty("DeviceAllow", .deviceAccess([])),
    ]
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
