import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// The kernel's device drivers and the device nodes in /dev, for the
/// login slices' device policy (`LoginDeviceRules` decides).
public enum DeviceInventory {
    /// `/proc/devices`; empty when it cannot be read (every driver then
    /// stays closed to logins, which keep systemd's pseudo devices).
    public static func drivers(path: String = "/proc/devices") -> DeviceDrivers? {
        guard let text = try? FileIO.readString(path, limit: 1 << 20) else { return nil }
        return DeviceDrivers.parse(text)
    }

    /// Every character and block node below `dev`, symbolic links and
    /// the kernel's pseudo file systems in it (pts, shm, mqueue,
    /// hugepages) left out; at most 4 levels and 65536 nodes.
    public static func nodes(dev: String = "/dev") -> [DeviceNode] {
        var out: [DeviceNode] = []
        func walk(_ dir: String, depth: Int) {
            guard depth <= 4, out.count < 65536 else { return }
            for name in ((try? FileIO.listDirectory(dir)) ?? []).sorted() {
                let path = dir + "/" + name
                if depth == 0 && ["pts", "shm", "mqueue", "hugepages"].contains(name) { continue }
                var st = stat()
                guard lstat(path, &st) == 0 else { continue }
                switch st.st_mode & S_IFMT {
                case S_IFDIR: walk(path, depth: depth + 1)
                case S_IFCHR, S_IFBLK:
                    if let node = node(path: path, st) { out.append(node) }
                default: continue
                }
            }
        }
        walk(dev, depth: 0)
        return out
    }

    /// The node at `path` (symbolic links followed), or nil when it is none.
    public static func node(at path: String) -> DeviceNode? {
        var st = stat()
        guard stat(path, &st) == 0 else { return nil }
        return node(path: path, st)
    }

    private static func node(path: String, _ st: stat) -> DeviceNode? {
        let kind: DeviceKind
        switch st.st_mode & S_IFMT {
        case S_IFCHR: kind = .char
        case S_IFBLK: kind = .block
        default: return nil
        }
        // glibc's gnu_dev_major / gnu_dev_minor.
        let dev = UInt64(st.st_rdev)
        let major = UInt32(truncatingIfNeeded: ((dev >> 8) & 0xfff) | ((dev >> 32) & ~UInt64(0xfff)))
        let minor = UInt32(truncatingIfNeeded: (dev & 0xff) | ((dev >> 12) & ~UInt64(0xff)))
        return DeviceNode(path, kind, major, minor)
    }
}

extension DeviceInventory {
    /// What logins may open when GPUs are closed to them, from this
    /// machine's /proc/devices, its GPU nodes and /dev; `problem` says
    /// when /proc/devices could not be read (every driver stays closed).
    public static func loginRules(dev: String = "/dev", procDevices: String = "/proc/devices") -> (rules: LoginDeviceRules, problem: String?) {
        let gpuPaths = GPUDevices.discover(dev: dev) + GPUDevices.presentControlNodes(dev: dev).sorted()
        let gpuNodes = gpuPaths.compactMap { node(at: $0) }
        guard let drivers = drivers(path: procDevices) else {
            return (LoginDeviceRules.compute(drivers: DeviceDrivers(), gpuNodes: gpuNodes, devNodes: []),
                    "cannot read \(procDevices): logins keep only systemd's pseudo devices")
        }
        return (LoginDeviceRules.compute(drivers: drivers, gpuNodes: gpuNodes, devNodes: nodes(dev: dev)), nil)
    }
}
