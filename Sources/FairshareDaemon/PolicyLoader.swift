import FairshareCore
import FairshareSystem

/// Reads `*.yaml` from the policy directories, in order, each in lexical
/// order, and compiles them into the policy the handler uses.
enum PolicyLoader {
    static let builtinDefaults = Resources(cpu: CPUQuantity(cpus: 1), mem: .gibibytes(1), tasks: TaskLimit(1024))

    static func load(directories: [String], users: any UserDatabase) throws(StartupError) -> LoadedPolicy {
        var settings = InterimPolicyReader.Settings()
        var files = 0
        for dir in directories where FileIO.exists(dir) {
            let names: [String]
            do { names = try FileIO.listDirectory(dir) } catch { throw StartupError("cannot read policy directory: \(error)") }
            for name in names where name.hasSuffix(".yaml") && !name.hasPrefix(".") {
                let path = dir + "/" + name
                let bytes: [UInt8]
                do { bytes = try FileIO.read(path, limit: 1 << 20) } catch { throw StartupError("cannot read policy: \(error)") }
                do { try InterimPolicyReader.read(bytes, path: path, into: &settings) } catch { throw StartupError("invalid policy:\n\(error)") }
                files += 1
            }
        }
        guard files > 0 else {
            throw StartupError("no policy: no *.yaml file in \(directories.joined(separator: " or ")); install one (see fairshare-policy(5))")
        }
        let max = Resources(cpu: settings.max.cpu ?? CPUQuantity(usecPerSecond: .max / 2),
                            mem: settings.max.mem ?? ByteSize(bytes: .max), tasks: settings.max.tasks ?? .infinity)
        let d = settings.defaults
        let defaults = Resources(cpu: min(d.cpu ?? builtinDefaults.cpu, max.cpu), mem: min(d.mem ?? builtinDefaults.mem, max.mem),
                                 tasks: min(d.tasks ?? builtinDefaults.tasks, max.tasks))
        if let c = d.cpu, c > max.cpu { throw StartupError("invalid policy: defaults.cpu \(c) is above max.cpu \(max.cpu)") }
        if let m = d.mem, m > max.mem { throw StartupError("invalid policy: defaults.mem \(m) is above max.mem \(max.mem)") }
        if let t = d.tasks, t > max.tasks { throw StartupError("invalid policy: defaults.tasks \(t) is above max.tasks \(max.tasks)") }
        var warnings: [String] = []
        for g in [settings.adminGroup, settings.readerGroup].compactMap({ $0 }) where users.gid(ofGroup: g) == nil {
            warnings.append("warning: policy names group '\(g)', which does not exist")
        }
        return LoadedPolicy(adminGroup: settings.adminGroup, readerGroup: settings.readerGroup,
                            reserve: Capacity(cpu: settings.reserve.cpu ?? .zero, mem: settings.reserve.mem ?? .zero),
                            cpuOvercommit: settings.cpuOvercommit ?? 1, allocator: settings.allocator ?? .polynomial,
                            idleRelease: settings.idleRelease,
                            defaults: defaults, max: max, warnings: warnings)
    }
}

/// The compiled policy as the handler sees it.
struct LoadedPolicy: PolicyView {
    var adminGroup: String?
    var readerGroup: String?
    var reserve: Capacity
    var cpuOvercommit: Double
    var allocator: FairShareRule
    var idleRelease: TimeSpan?
    var defaults: Resources
    var max: Resources
    var warnings: [String]

    func limits(user: String, groups: [String]) -> (defaults: Resources, max: Resources) { (defaults, max) }
}
