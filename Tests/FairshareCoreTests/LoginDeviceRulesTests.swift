import Testing
@testable import FairshareCore

/// GPUs closed to logins: an allow list of every driver but the GPU ones,
/// per node where a GPU shares its major, and the policy key that opens
/// them again.
@Suite struct LoginDeviceRulesTests {
    static let procDevices = """
        Character devices:
          1 mem
          4 /dev/vc/0
          4 tty
          5 /dev/tty
          5 /dev/console
          5 /dev/ptmx
         10 misc
        136 pts
        195 nvidia-frontend
        226 drm
        234 kfd
        235 nvidia-uvm
        240 weird name
        241 glob*

        Block devices:
          7 loop
          8 sd
         65 sd
        259 blkext

        """

    @Test func parsesBothSections() {
        let d = DeviceDrivers.parse(Self.procDevices)
        #expect(d.drivers.first == .init(.char, 1, "mem"))
        #expect(d.drivers.contains(.init(.char, 4, "/dev/vc/0")))
        #expect(d.drivers.contains(.init(.char, 240, "weird name")))
        #expect(d.drivers.filter { $0.kind == .block }.map(\.major) == [7, 8, 65, 259])
    }

    @Test func everyDriverButTheGPUOnesByName() {
        let nvidia0 = DeviceNode("/dev/nvidia0", .char, 195, 0)
        let render = DeviceNode("/dev/dri/renderD128", .char, 226, 128)
        let rules = LoginDeviceRules.compute(drivers: .parse(Self.procDevices), gpuNodes: [nvidia0, render],
                                             devNodes: [nvidia0, render, DeviceNode("/dev/null", .char, 1, 3), DeviceNode("/dev/weird0", .char, 240, 0),
                                                        DeviceNode("/dev/nvidiactl", .char, 195, 255), DeviceNode("/dev/dri/card0", .char, 226, 0)])
        #expect(rules.drivers.map { "\($0.kind)-\($0.name)" } == [
            "block-blkext", "block-loop", "block-sd",
            "char-/dev/console", "char-/dev/ptmx", "char-/dev/tty", "char-/dev/vc/0", "char-mem", "char-misc", "char-pts", "char-tty",
        ])
        #expect(rules.closedDrivers == ["drm", "kfd", "nvidia-frontend", "nvidia-uvm"])
        // Names systemd would read as a pattern or split: their nodes one by one.
        #expect(rules.unusableNames == ["glob*", "weird name"])
        #expect(rules.nodes.map(\.string) == ["/dev/weird0"])
        let dropIn = UnitDropIn(section: .slice, settings: rules.settings)
        #expect(dropIn.text.hasPrefix("[Slice]\nDevicePolicy=closed\nDeviceAllow=block-blkext rwm\n"))
        #expect(dropIn.text.contains("DeviceAllow=char-/dev/vc/0 rwm\n"))
        #expect(!dropIn.text.contains("nvidia") && !dropIn.text.contains("drm"))
    }

    /// The system tests' stand-ins: /dev/nvidia0 is c 1 11 (kmsg's
    /// number), /dev/nvidia1 c 10 237. Their majors close; every other
    /// node of them is allowed by path, except those with a GPU's number.
    @Test func aStandInOnASharedMajorClosesItsNumberOnly() {
        let gpus = [DeviceNode("/dev/nvidia0", .char, 1, 11), DeviceNode("/dev/nvidia1", .char, 10, 237)]
        let dev = gpus + [DeviceNode("/dev/null", .char, 1, 3), DeviceNode("/dev/zero", .char, 1, 5), DeviceNode("/dev/kmsg", .char, 1, 11),
                          DeviceNode("/dev/fuse", .char, 10, 229), DeviceNode("/dev/loop-control", .char, 10, 237),
                          DeviceNode("/dev/net/tun", .char, 10, 200), DeviceNode("/dev/loop0", .block, 7, 0)]
        let rules = LoginDeviceRules.compute(drivers: .parse(Self.procDevices), gpuNodes: gpus, devNodes: dev)
        #expect(!rules.drivers.contains { $0.name.string == "mem" || $0.name.string == "misc" })
        #expect(rules.drivers.contains { $0.kind == .block && $0.name.string == "loop" })
        #expect(rules.nodes.map(\.string) == ["/dev/fuse", "/dev/net/tun", "/dev/null", "/dev/zero"])
    }

    @Test func unreadableProcDevicesLeavesOnlySystemdsPseudoDevices() {
        let rules = LoginDeviceRules.compute(drivers: DeviceDrivers(), gpuNodes: [], devNodes: [DeviceNode("/dev/null", .char, 1, 3)])
        #expect(rules.settings == [UnitDropIn.Setting(.devicePolicy, .closed)])
    }

    @Test func driverNamesAreChecked() {
        #expect(DriverName("nvidia-uvm")?.string == "nvidia-uvm")
        #expect(DriverName("cpu/cpuid") != nil)
        for bad in ["", "a b", "a*", "x?", "[ab]", "50%", "a\\b", "\"q\"", String(repeating: "a", count: 65)] {
            #expect(DriverName(bad) == nil, "\(bad)")
        }
    }

    private func policy(_ text: String) throws -> Policy {
        let result = PolicyCompiler.compile([PolicyCompiler.Source(path: "p.yaml", bytes: Array(text.utf8))], accounts: .any)
        return try #require(result.policy, "\(result.diagnostics.report)")
    }

    @Test func closedByDefaultOnlyWhenThePolicyHandsOutGPUs() throws {
        #expect(try !policy("defaults: {cpu: 1}\n").closesGPUsToLogins)
        #expect(try !policy("defaults: {cpu: 1}\nlogin_gpus: closed\n").closesGPUsToLogins)
        #expect(try policy("max: {gpus: 1}\n").closesGPUsToLogins)
        #expect(try policy("users: {alice: {max: {gpus: 1}}}\n").closesGPUsToLogins)
        let open = try policy("max: {gpus: 1}\nlogin_gpus: open\n")
        #expect(!open.closesGPUsToLogins)
        #expect(open.settings.loginGPUs?.origin.description == "p.yaml:2")
    }

    @Test func loginGPUsTakesOpenOrClosedInTheGlobalSectionOnly() {
        let bad = PolicyCompiler.compile([PolicyCompiler.Source(path: "p.yaml", bytes: Array("login_gpus: yes\n".utf8))], accounts: .any)
        #expect(bad.diagnostics.map(\.message) == ["invalid login_gpus 'yes'; expected open (logins may open the GPUs) or closed (only through fairshare exec and run)"])
        let inLogin = PolicyCompiler.compile([PolicyCompiler.Source(path: "p.yaml", bytes: Array("login: {gpus: 0}\n".utf8))], accounts: .any)
        #expect(inLogin.diagnostics.first?.message.contains("'login_gpus: open' or 'closed'") == true)
    }

    @Test func theDropInCarriesTheDevicesWithOrWithoutACap() throws {
        let rules = LoginDeviceRules(drivers: [.init(.char, DriverName("mem")!)], nodes: [])
        let devicesOnly = try #require(LoginDropIn.render(.none, uid: 1001, devices: rules))
        #expect(devicesOnly.text.hasSuffix("[Slice]\nDevicePolicy=closed\nDeviceAllow=char-mem rwm\n"))
        #expect(devicesOnly.text.contains("# GPUs are closed to logins"))
        #expect(LoginDropIn.render(.none, uid: 1001) == nil)
        let both = try #require(LoginDropIn.render(try policy("login: {tasks: 10}\n").loginCap(user: "a", uid: 1001, groups: []), uid: 1001, devices: rules))
        #expect(both.text.hasSuffix("[Slice]\nTasksMax=10\nDevicePolicy=closed\nDeviceAllow=char-mem rwm\n"))
    }
}
