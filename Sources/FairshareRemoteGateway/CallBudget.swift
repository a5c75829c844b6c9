import FairshareCore
import GRPCCore
import Synchronization

/// How many calls one account may have open at once through the gateway:
/// a thousand streams from one certificate take their share of the
/// gateway, not all of it (fairshared sees the gateway as one uid and
/// cannot tell them apart). Beyond it a call fails at once with
/// RESOURCE_EXHAUSTED.
final class CallBudget: Sendable {
    let perAccount: Int
    private let open = Mutex<[String: Int]>([:])

    init(perAccount: Int) { self.perAccount = perAccount }

    /// Runs `body` as one of `account`'s open calls.
    func admit<T: Sendable>(_ account: String, _ body: () async throws -> T) async throws -> T {
        let admitted = open.withLock { open -> Bool in
            let now = open[account, default: 0]
            guard now < perAccount else { return false }
            open[account] = now + 1
            return true
        }
        guard admitted else {
            throw RPCError(code: .resourceExhausted,
                           message: "\(account) has \(perAccount) calls open through fairshare-remote already (its --calls-per-account); close some first")
        }
        defer {
            open.withLock { open in
                let left = open[account, default: 1] - 1
                open[account] = left > 0 ? left : nil
            }
        }
        return try await body()
    }
}
