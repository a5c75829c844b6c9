import Dispatch
import FairshareCLI
import FairshareCore
import GRPCCore
import Synchronization

/// A few connections to fairshared shared by every call: fairshared counts
/// connections per uid (`daemon.connections_per_user`), and the gateway is
/// one uid however many clients it serves. Each lane is one connection on
/// its own serial queue (the client is blocking), so a slow reply holds one
/// lane, never the event loops or Swift's cooperative threads.
final class DaemonPool: Sendable {
    private let lanes: [Lane]
    private let next = Atomic<Int>(0)

    init(socketPath: String, lanes count: Int = 8) {
        lanes = (0..<count).map { Lane(socketPath: socketPath, index: $0) }
    }

    /// fairshared's reply to `request` sent on behalf of `account`; a
    /// daemon that cannot be reached (after the client's reconnect budget)
    /// is UNAVAILABLE.
    func reply(_ request: FairshareCore.ClientRequest, onBehalf account: OnBehalf) async throws(RPCError) -> Reply {
        let lane = lanes[next.add(1, ordering: .relaxed).newValue % lanes.count]
        let result: Result<Reply, ClientFailure> = await withCheckedContinuation { continuation in
            lane.queue.async { continuation.resume(returning: lane.send(request, onBehalf: account)) }
        }
        switch result {
        case .success(let reply): return reply
        case .failure(let failure): throw RPCError(code: .unavailable, message: failure.message)
        }
    }
}

/// One connection of the pool; touched only on its queue.
private final class Lane: @unchecked Sendable {
    let queue: DispatchQueue
    private let socketPath: String
    private var client: DaemonClient?

    init(socketPath: String, index: Int) {
        self.socketPath = socketPath
        queue = DispatchQueue(label: "fairshare-remote.daemon.\(index)")
    }

    func send(_ request: FairshareCore.ClientRequest, onBehalf account: OnBehalf) -> Result<Reply, ClientFailure> {
        do throws(ClientFailure) {
            let client: DaemonClient
            if let open = self.client { client = open } else { client = try DaemonClient.connect(socketPath) }
            self.client = client
            client.onBehalf = account
            return .success(try client.reply(request))
        } catch {
            // The next call starts on a new connection.
            client?.close()
            client = nil
            return .failure(error)
        }
    }
}
