import FairshareCore

/// Who may do what (DESIGN.md §5): members handle their own allocation,
/// exec and jobs; reader_group also reads everyone's; root and admin_group
/// also change policy and others' state. Outsiders are turned away before
/// these rules; each job's owner is checked where jobs are handled.
extension RequestHandler {
    /// Why `caller`, a member, may not make `request`; nil when they may.
    static func refusal(of request: ClientRequest, by caller: Caller) -> ReplyError? {
        switch request {
        case .list where caller.role < .reader:
            ReplyError(code: .permissionDenied, message: "only root, admin_group or reader_group may list everyone's allocations")
        case .audit where caller.role < .reader:
            ReplyError(code: .permissionDenied, message: "only root, admin_group or reader_group may list everyone's stray processes")
        case .metrics where caller.role < .reader:
            ReplyError(code: .permissionDenied, message: "only root, admin_group or reader_group may read the daemon's counters")
        case .revoke where caller.role < .admin:
            ReplyError(code: .permissionDenied, message: "only root and members of admin_group may revoke allocations")
        case .reload where caller.role < .admin: .adminOnly("reload the policy")
        case .setPolicy where caller.role < .admin: .adminOnly("change the policy")
        case .showPolicy(let user?) where user != caller.userName && caller.role < .reader:
            ReplyError(code: .permissionDenied, message: "only root, admin_group or reader_group may see another user's policy")
        default: nil
        }
    }

    /// The uid `revoke` names: given as such, or a user's name looked up.
    func revokeTarget(_ user: AccountReference) -> Result<UInt32, ReplyError> {
        let found: UInt32?
        switch user {
        case .uid(let uid): found = uid
        case .name(let name): found = uidLookup(name)
        }
        guard let uid = found else { return .failure(ReplyError(code: .badRequest, message: "no such user '\(user)'")) }
        return .success(uid)
    }

    /// Whose policy `show-policy` shows: the caller's own by default, with
    /// the groups the kernel gave; another user's groups (nil) are looked up.
    static func policyTarget(_ user: String?, for caller: Caller) -> (user: String, groups: [String]?) {
        (user ?? caller.userName, user == nil || user == caller.userName ? caller.groupNames : nil)
    }
}
