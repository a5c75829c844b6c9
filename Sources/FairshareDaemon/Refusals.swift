import FairshareCore

extension ReplyError {
    /// The answer to anyone outside group `fairshare`, wherever it is given.
    static func notInFairshareGroup(_ user: String) -> ReplyError {
        ReplyError(code: .permissionDenied,
                   message: "you are not in group 'fairshare'; ask an administrator to add you (adduser \(user) fairshare)")
    }
}

extension ReplyError {
    /// The answer to a non-admin asking for an admin-only change.
    static func adminOnly(_ action: String) -> ReplyError {
        ReplyError(code: .permissionDenied, message: "only root and members of admin_group may \(action)")
    }

    /// The policy files have errors; every one is in `details.diagnostics`.
    static func invalidPolicy(_ diagnostics: [PolicyDiagnostic], kept: String) -> ReplyError {
        let errors = diagnostics.errors.count
        return ReplyError(code: .invalidPolicy,
                          message: "the policy has \(errors) error\(errors == 1 ? "" : "s"); \(kept)",
                          details: ["diagnostics": .array(diagnostics.map(\.json))])
    }
}

extension PolicyDiagnostic {
    var json: JSON {
        ["severity": .string(severity.rawValue), "path": .string(path),
         "line": location.map { .uint(UInt64($0.line)) } ?? .null, "column": location.map { .uint(UInt64($0.column)) } ?? .null,
         "message": .string(message), "text": .string(description)]
    }
}
