import FairshareCore

/// `fairshare admin check` and `fairshared --check-policy`: reads and
/// checks policy files without a daemon, prints every diagnostic to
/// stderr, and says whether the policy would be accepted.
public enum PolicyCheck {
    /// The administrator's directory, then the daemon's own.
    public static let defaultPaths = ["/etc/fairshare/policy.d", "/var/lib/fairshare/policy.d"]

    /// Prints diagnostics and a summary; the policy when it is valid.
    @discardableResult
    public static func run(_ paths: [String], users: any UserDatabase, quiet: Bool, program: String) -> Policy? {
        let sources: [PolicyCompiler.Source]
        do {
            sources = try PolicyFiles.sources(paths)
        } catch {
            StandardStreams.err("\(program): cannot read the policy: \(error)\n")
            return nil
        }
        let result = PolicyCompiler.compile(sources, accounts: PolicyFiles.accounts(users))
        for diagnostic in result.diagnostics { StandardStreams.err(diagnostic.description + "\n") }
        let errors = result.diagnostics.errors.count, warnings = result.diagnostics.warnings.count
        let files = "\(sources.count) file\(sources.count == 1 ? "" : "s")"
        if sources.isEmpty {
            StandardStreams.err("\(program): no policy: no *.yaml file in \(paths.joined(separator: " or "))\n")
            return nil
        }
        if errors > 0 {
            StandardStreams.err("\(program): the policy is invalid: \(errors) error\(errors == 1 ? "" : "s") in \(files)\n")
            return nil
        }
        if !quiet {
            StandardStreams.out("policy is valid: \(files)" + (warnings > 0 ? ", \(warnings) warning\(warnings == 1 ? "" : "s")" : "") + "\n")
        }
        return result.policy
    }
}
