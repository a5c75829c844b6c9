/// The part of a request line that says the gateway asks *on behalf of*
/// an account: `"on_behalf": {"user": "alice", "role": "writer"}` beside
/// the usual fields. Only `Delegation.decide` gives it any effect; from
/// any caller but the policy's gateway it is refused.
public struct OnBehalf: Equatable, Sendable {
    /// The account, a checked user name.
    public var user: String
    /// What the client certificate allows.
    public var role: RemoteRole

    public init(user: String, role: RemoteRole) {
        self.user = user
        self.role = role
    }

    public var json: JSON { ["user": .string(user), "role": .string(role.rawValue)] }

    /// The `on_behalf` field of a request object, nil when absent.
    public static func decode(from request: JSON) throws(RequestDecodingError) -> OnBehalf? {
        guard let field = request.objectValue?["on_behalf"] else { return nil }
        guard let o = field.objectValue else { throw .init(.badRequest, "\"on_behalf\" must be an object {\"user\": NAME, \"role\": ROLE}", field: "on_behalf") }
        guard let user = o["user"]?.stringValue else { throw .init(.badRequest, "\"on_behalf\" needs \"user\"", field: "on_behalf.user") }
        if let problem = AccountName.problem(user) {
            throw .init(.badRequest, "invalid user name in \"on_behalf\": it \(problem)", field: "on_behalf.user")
        }
        guard let roleText = o["role"]?.stringValue, let role = RemoteRole(rawValue: roleText) else {
            throw .init(.badRequest, "\"on_behalf\" needs \"role\": \(RemoteRole.allCases.map { "\"\($0.rawValue)\"" }.joined(separator: " or "))",
                        field: "on_behalf.role")
        }
        for key in o.entries.map(\.key) where key != "user" && key != "role" {
            throw .init(.badRequest, "unknown field \"\(key)\" in \"on_behalf\"", field: "on_behalf.\(key)")
        }
        return OnBehalf(user: user, role: role)
    }
}
