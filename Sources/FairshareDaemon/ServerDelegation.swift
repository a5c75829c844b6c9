import FairshareCore
import FairshareSystem

/// Requests the gateway sends *on behalf of* an account (issue 21,
/// `Delegation`): the account is looked up here, at the edge, and the
/// request is then handled exactly as if the account had sent it, with
/// the account's own role — never the gateway's.
extension Server {
    func delegatedCaller(_ onBehalf: OnBehalf, request: ClientRequest, from peer: Caller) -> Result<Caller, Delegation.Refusal> {
        let gatewayUID = handler.policy.settings.remoteGateway.flatMap { users.uid(ofUser: $0.value) }
        var account: (Delegation.Account, Caller)?
        if let uid = users.uid(ofUser: onBehalf.user), let names = users.groupNames(ofUser: onBehalf.user) {
            let gids = names.compactMap(users.gid(ofGroup:))
            // pid 0: no process of the account's sent this, so nothing may
            // be moved for it (exec is outside every remote role anyway).
            let caller = identify(PeerCredentials(pid: 0, uid: uid, gid: gids.first ?? uid, groups: gids))
            account = (Delegation.Account(name: onBehalf.user, uid: uid, role: caller.role), caller)
        }
        return Delegation.decide(peerUID: peer.uid, gatewayUID: gatewayUID, account: onBehalf.user, found: account?.0,
                                 role: onBehalf.role, request: request).map { _ in account!.1 }
    }
}
