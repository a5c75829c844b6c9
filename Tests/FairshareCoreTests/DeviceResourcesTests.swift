import Testing
@testable import FairshareCore

/// IO settings, GPU choice and disk quotas: the pure parts.
@Suite struct DeviceResourcesTests {
    let vda: DevicePath = "/dev/vda"

    @Test func ioChangeReplacesOnlyWhatItNames() {
        let held = IOLimits(weight: 100, limits: [.readBandwidth: [vda: 50 << 20, "/dev/vdb": 10 << 20]])
        let change = IOLimits(limits: [.readBandwidth: [vda: 20 << 20], .writeIOPS: [vda: 500]])
        let result = held.updated(with: change)
        #expect(result.weight == 100)
        #expect(result[.readBandwidth] == [vda: 20 << 20, "/dev/vdb": 10 << 20])
        #expect(result[.writeIOPS] == [vda: 500])
    }

    @Test func ioAboveTheCeilingIsNamed() {
        let ceiling = IOLimits(weight: 500, limits: [.readBandwidth: [vda: 100 << 20]])
        #expect(IOLimits(weight: 500, limits: [.readBandwidth: [vda: 100 << 20, "/dev/sdb": 1 << 40]]).firstExcess(over: ceiling) == nil)
        #expect(IOLimits(weight: 501).firstExcess(over: ceiling)?.wanted == "weight 501")
        let over = IOLimits(limits: [.readBandwidth: [vda: 200 << 20]]).firstExcess(over: ceiling)
        #expect(over?.key == "io-read-bw")
        #expect(over?.wanted == "read_bw /dev/vda 200M/s")
        #expect(over?.limit == "100M/s")
        #expect(IOLimits(weight: 900, limits: [.readBandwidth: [vda: 200 << 20]]).clamped(to: ceiling)
                == IOLimits(weight: 500, limits: [.readBandwidth: [vda: 100 << 20]]))
    }

    @Test func ioPropertiesClearEachListBeforeSettingIt() {
        let io = IOLimits(weight: 200, limits: [.writeBandwidth: [vda: 1 << 20], .readIOPS: [vda: 100]])
        #expect(io.unitProperties == [
            UnitProperty("IOWeight", .uint64(200)),
            UnitProperty("IOWriteBandwidthMax", .deviceLimits([])),
            UnitProperty("IOWriteBandwidthMax", .deviceLimits([.init(vda, 1 << 20)])),
            UnitProperty("IOReadIOPSMax", .deviceLimits([])),
            UnitProperty("IOReadIOPSMax", .deviceLimits([.init(vda, 100)])),
        ])
        #expect(IOLimits.none.unitProperties.isEmpty)
        #expect(io.summary == "weight 200, write_bw /dev/vda 1M/s, read_iops /dev/vda 100/s")
        #expect(IOLimits.decode(io.json) == .success(io))
    }

    @Test func gpusHeldAreKeptThenFreeOnesAdded() {
        let pool = ["/dev/nvidia0", "/dev/nvidia1", "/dev/nvidia2"]
        #expect(GPUAssignment.choose(count: 2, held: [], allowed: nil, pool: pool, taken: ["/dev/nvidia0"]) == .success(["/dev/nvidia1", "/dev/nvidia2"]))
        #expect(GPUAssignment.choose(count: 2, held: ["/dev/nvidia2"], allowed: nil, pool: pool, taken: []) == .success(["/dev/nvidia2", "/dev/nvidia0"]))
        #expect(GPUAssignment.choose(count: 1, held: ["/dev/nvidia2", "/dev/nvidia0"], allowed: nil, pool: pool, taken: []) == .success(["/dev/nvidia2"]))
        #expect(GPUAssignment.choose(count: 1, held: [], allowed: ["/dev/nvidia2"], pool: pool, taken: []) == .success(["/dev/nvidia2"]))
        guard case .failure(let refusal) = GPUAssignment.choose(count: 2, held: [], allowed: nil, pool: pool, taken: ["/dev/nvidia0", "/dev/nvidia1"]) else {
            Issue.record("two GPUs granted with one free")
            return
        }
        #expect(refusal.description == "gpus 2 exceeds what is available (1 free of the machine's 3 free for you); at most 1 would be granted now")
        // A node the policy names that the machine does not have is never given.
        #expect(GPUAssignment.choose(count: 1, held: [], allowed: ["/dev/nvidia7"], pool: pool, taken: []).isFailure)
    }

    @Test func gpuNodesAreFoundByName() {
        let listing = ["/dev/nvidia10", "/dev/nvidia2", "/dev/nvidiactl", "/dev/nvidia-uvm", "/dev/null", "/dev/dri/renderD129",
                       "/dev/dri/card0", "/dev/dri/renderD128", "/dev/nvidia"]
        #expect(GPUAssignment.gpuNodes(in: listing) == ["/dev/nvidia2", "/dev/nvidia10", "/dev/dri/renderD128", "/dev/dri/renderD129"])
    }

    @Test func devicePolicyIsClosedWithTheHeldNodes() {
        let props = GPUAssignment.unitProperties(held: ["/dev/nvidia1"], present: ["/dev/nvidiactl", "/dev/nvidia-uvm"])
        #expect(props.first == UnitProperty("DevicePolicy", .text("closed")))
        let pts = UnitProperty.DeviceAccess(deviceClass: "char-pts", "rw")
        #expect(props.last == UnitProperty("DeviceAllow", .deviceAccess([pts] + (["/dev/fuse", "/dev/nvidia1", "/dev/nvidiactl", "/dev/nvidia-uvm"] as [DevicePath])
            .map { UnitProperty.DeviceAccess($0, "rw") })))
        // No GPU: still closed, only the base nodes.
        #expect(GPUAssignment.unitProperties(held: [], present: ["/dev/nvidiactl"]).last
                == UnitProperty("DeviceAllow", .deviceAccess([pts, UnitProperty.DeviceAccess("/dev/fuse", "rw")])))
        // A held node that is not a plain device path (a hand-edited state file) is not allowed.
        #expect(GPUAssignment.unitProperties(held: ["/dev/nvidia0 rw\nDeviceAllow=/dev/sda"], present: []).last
                == UnitProperty("DeviceAllow", .deviceAccess([pts, UnitProperty.DeviceAccess("/dev/fuse", "rw")])))
    }

    @Test func quotaBlocksRoundUp() {
        let q = DiskQuota(path: "/home", soft: ByteSize(bytes: 1025), hard: .mebibytes(1))
        #expect(q.softBlocks == 2)
        #expect(q.hardBlocks == 1024)
        #expect(DiskQuota(path: "/home").hardBlocks == 0)
    }
}

extension Result {
    var isFailure: Bool { if case .failure = self { true } else { false } }
}
