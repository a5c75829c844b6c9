import Testing
@testable import FairshareCore

/// `io:`, `gpus:` and `disk:` in policy files.
@Suite struct DevicePolicyTests {
    @Test func ioGpusAndDiskAreRead() throws {
        let p = try policy([("/etc/fairshare/policy.d/00.yaml", """
            defaults:
              io: {weight: 100, read_bw: {/dev/vda: 50M}, write_iops: {/dev/vda: 1000/s}}
              gpus: 0
            max:
              io: {weight: 1000, read_bw: {/dev/vda: 200M/s}}
              gpus: 2
            disk: {path: /home, soft: 40G, hard: 50G, inodes_hard: 100000}
            users:
              alice:
                default: {gpus: [/dev/nvidia1]}
                max: {gpus: [/dev/nvidia1, /dev/nvidia2]}
                disk: {path: /home, hard: 80G}
            groups:
              lab: {disk: {path: /home, hard: 60G}}
              big: {disk: {path: /home}}
            """)])
        let bob = p.effectiveLimits(user: "bob", groups: [])
        #expect(bob.defaults.io.value == IOLimits(weight: 100, limits: [.readBandwidth: ["/dev/vda": 50 << 20], .writeIOPS: ["/dev/vda": 1000]]))
        #expect(bob.defaults.io.origin.description == "/etc/fairshare/policy.d/00.yaml:2")
        #expect(bob.max.values.gpus == 2)
        #expect(bob.disk?.value == DiskQuota(path: "/home", soft: .gibibytes(40), hard: .gibibytes(50), inodesHard: 100_000))
        let alice = p.effectiveLimits(user: "alice", groups: ["lab"])
        #expect(alice.defaults.gpus.value == .devices(["/dev/nvidia1"]))
        #expect(alice.max.gpus.value.allowedDevices == ["/dev/nvidia1", "/dev/nvidia2"])
        #expect(alice.disk?.value.hard == .gibibytes(80))
        // Among groups the most generous quota wins: no hard limit beats 60G.
        #expect(p.effectiveLimits(user: "carol", groups: ["lab", "big"]).disk?.value == DiskQuota(path: "/home"))
        #expect(p.effectiveLimits(user: "dave", groups: ["lab"]).disk?.value.hard == .gibibytes(60))
        #expect(p.managesGPUs)
        #expect(p.setsDiskQuotas)
        let plain = try policy([("a.yaml", "defaults: {cpu: 1}\n")])
        #expect(!plain.managesGPUs)
        #expect(!plain.setsDiskQuotas)
    }

    @Test func aDefaultAboveTheMaxIsLowered() throws {
        let p = try policy([("a.yaml", "defaults: {io: {weight: 900}, gpus: 3}\nusers:\n  x: {max: {io: {weight: 200}, gpus: 1}}\n")])
        let x = p.effectiveLimits(user: "x", groups: [])
        #expect(x.defaults.io.value.weight == 200)
        #expect(x.defaults.values.gpus == 1)
    }

    @Test(arguments: [
        ("defaults:\n  io: {weight: 0}\n", "p.yaml:2:16: error: invalid IO weight '0'; expected a whole number from 1 to 10000 (systemd's default is 100)"),
        ("defaults:\n  io: {wieght: 10}\n", "p.yaml:2:8: error: unknown key 'wieght' in 'defaults.io'; did you mean 'weight'?"),
        ("max:\n  io: {read_bw: {vda: 5M}}\n", "p.yaml:2:18: error: 'vda' is not a device path; write one under /dev, such as /dev/vda or /dev/nvidia0"),
        ("max:\n  io: {read_bw: {/dev/vda: fast}}\n", "p.yaml:2:28: error: invalid size 'fast'; expected e.g. 512M, 8G, 1.5G or 8GiB (K, M, G, T are powers of 1024)"),
        ("max:\n  io: {read_iops: {/dev/vda: 1.5}}\n", "p.yaml:2:30: error: invalid IOPS limit '1.5'; expected a whole number of operations per second such as 1000"),
        ("max:\n  io: 5\n", "p.yaml:2:7: error: 'max.io' must be a mapping of keys (like 'weight: 100 …'), not a single value"),
        ("max:\n  gpus: two\n", "p.yaml:2:9: error: invalid GPU count 'two'; expected a whole number such as 0 or 2, or a list of device paths"),
        ("max:\n  gpus: [/dev/nvidia0, /dev/nvidia0]\n", "p.yaml:2:24: error: '/dev/nvidia0' is listed twice"),
        ("max:\n  gpus: [nvidia0]\n", "p.yaml:2:10: error: 'nvidia0' is not a device path; write one under /dev, such as /dev/vda or /dev/nvidia0"),
        ("disk: {soft: 1G}\n", "p.yaml:1:1: error: 'disk' needs 'path', the file system the quota is on (e.g. path: /home)"),
        ("disk: {path: home}\n", "p.yaml:1:14: error: 'home' is not an absolute path; write the mount point, e.g. /home"),
        ("disk: {path: /home, soft: 2G, hard: 1G}\n", "p.yaml:1:1: error: 'disk': soft 2G is above hard 1G"),
        ("disk: {path: /home, size: 1G}\n", "p.yaml:1:21: error: unknown key 'size' in 'disk' (known: path, soft, hard, inodes_soft, inodes_hard)"),
        ("users:\n  alice: {disk: {hard: 1G}}\n", "p.yaml:2:11: error: 'users.alice.disk' needs 'path', the file system the quota is on (e.g. path: /home)"),
    ])
    func mistakesArePointedAt(input: String, expected: String) {
        #expect(policyHeadlines(input) == [expected])
    }
}
