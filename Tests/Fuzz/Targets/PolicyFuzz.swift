// libFuzzer target: policy files. Built and run by Tests/Fuzz/run.
//
// The input is one policy file, or two when it holds a NUL byte (the YAML
// subset refuses NUL, so it is a natural separator): the bytes go through
// the YAML parser, the policy file reader and the compiler (merge, schema
// and consistency checks), and every diagnostic is rendered. When a policy
// comes out, its limits are written back with PolicyWriter and must read
// back to the same values without an error.

import FairshareCore

/// Accounts "exist" by a fixed rule so both branches of the warnings run.
private let accounts = PolicyCompiler.Accounts(userExists: userExists, groupExists: groupExists)
@Sendable private func userExists(_ name: String) -> Bool { name.utf8.count % 2 == 0 }
@Sendable private func groupExists(_ name: String) -> Bool { (name.utf8.first ?? 0) < UInt8(ascii: "m") }

/// The limits of a scope without their origins.
private func values(_ scope: ScopeLimits) -> [String] {
    [scope.defaults, scope.max].flatMap { limits in
        [limits.cpu?.value.exactDescription, limits.mem?.value.exactDescription, limits.tasks?.value.description].map { $0 ?? "-" }
    }
}

/// Scopes that hold a limit the writer writes (cpu, mem, tasks).
private func written(_ scopes: [String: ScopeLimits]) -> [String: [String]] {
    scopes.mapValues(values).filter { $0.value != Array(repeating: "-", count: 6) }
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? YAMLParser.parse(bytes)

    let files = bytes.split(separator: 0, maxSplits: 1, omittingEmptySubsequences: false)
    let sources = files.enumerated().map { PolicyCompiler.Source(path: "/fuzz/\($0.offset).yaml", bytes: Array($0.element)) }
    let result = PolicyCompiler.compile(sources, accounts: accounts)
    _ = result.diagnostics.report
    guard let policy = result.policy else { return 0 }

    _ = policy.globalLimits
    let groups = policy.settings.groups.keys.sorted()
    for user in policy.settings.users.keys.sorted().prefix(8) {
        _ = policy.effectiveLimits(user: user, groups: groups)
    }

    let rendered = PolicyWriter.render(policy.settings)
    let (again, diagnostics) = PolicyFileReader.read(Array(rendered.utf8), path: "/fuzz/written.yaml")
    precondition(!diagnostics.contains(where: \.isError), "written policy does not read back:\n\(diagnostics.report)\n\(rendered)")
    precondition(values(again.global) == values(policy.settings.global), "global limits changed on write:\n\(rendered)")
    precondition(written(again.users) == written(policy.settings.users), "user limits changed on write:\n\(rendered)")
    precondition(written(again.groups) == written(policy.settings.groups), "group limits changed on write:\n\(rendered)")
    return 0
}
