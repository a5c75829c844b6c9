import FairshareCore

/// The GPU device nodes this machine has, read from /dev.
public enum GPUDevices {
    public static func discover(dev: String = "/dev") -> [String] {
        let top = ((try? FileIO.listDirectory(dev)) ?? []).map { "/dev/" + $0 }
        let dri = ((try? FileIO.listDirectory(dev + "/dri")) ?? []).map { "/dev/dri/" + $0 }
        return GPUAssignment.gpuNodes(in: top + dri)
    }

    /// Which of NVIDIA's control nodes exist.
    public static func presentControlNodes(dev: String = "/dev") -> Set<String> {
        Set(GPUAssignment.nvidiaControlNodes.filter { FileIO.exists(dev + $0.dropFirst("/dev".count)) })
    }
}
