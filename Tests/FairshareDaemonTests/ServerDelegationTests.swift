import Dispatch
import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon
#if canImport(Glibc)
import Glibc
#endif

/// `on_behalf` through the real socket server: the policy names root (the
/// test's own uid) as the gateway and group `nogroup` stands in for
/// `fairshare`, so `nobody` is a member and `daemon` is not.
@Suite(.serialized) final class ServerDelegationTests {
    let queue = DispatchQueue(label: "test-delegation")
    let path = "/tmp/fairshare-delegation-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    var server: Server!

    init() throws {
        let fd = try UnixSocket.listen(at: path, mode: 0o660, group: nil)
        // A request rate low enough to see whose bucket a request comes from.
        let policy = FixedPolicy(extra: """
            remote: {gateway: \(SystemUserDatabase().userName(uid: getuid()) ?? "root")}
            daemon: {requests_per_second: 1, request_burst: 3}
            """)
        let handler = RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(),
                                     machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                                     controller: FakeSliceController(), store: MemoryStateStore(), events: RecordingEventLog(),
                                     now: { 0 })
        server = Server(listenFD: fd, queue: queue, handler: handler, users: SystemUserDatabase(),
                        fairshareGID: SystemUserDatabase().gid(ofGroup: "nogroup") ?? 65534)
        queue.sync { server.start() }
    }

    deinit { unlink(path) }

    func ask(_ request: ClientRequest, as user: String, role: RemoteRole) throws -> JSON? {
        guard case .object(var o) = request.json else { return nil }
        o["on_behalf"] = OnBehalf(user: user, role: role).json
        let fd = try UnixSocket.connect(to: path)
        defer { close(fd) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let line = Array((JSON.object(o).serialized + "\n").utf8)
        _ = line.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var framer = LineFramer()
        var buf = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { return nil }
            for case .line(let l) in framer.feed(buf[0..<n]) { return try JSON.parse(l) }
        }
    }

    @Test func theGatewayIsAnsweredAsTheAccount() throws {
        let reply = try ask(.status, as: "nobody", role: .reader)
        #expect(reply?["ok"] == true)
        #expect(reply?["result"]?["uid"] == 65534)
        #expect(reply?["result"]?["user"] == "nobody")
    }

    @Test func refusalsSayWhy() throws {
        let outsider = try ask(.status, as: "daemon", role: .writer)
        #expect(outsider?["error"]?["code"] == "permission_denied")
        #expect(outsider?["error"]?["message"] == "'daemon' is not in group 'fairshare'; an administrator can run 'adduser daemon fairshare'")
        let reader = try ask(.stop(job: 1), as: "nobody", role: .reader)
        #expect(reader?["error"]?["message"] == "a reader certificate may not stop; it may query and stream jobs and read status")
        #expect(try ask(.status, as: "root", role: .writer)?["error"]?["message"] == "root's jobs cannot be run or read remotely")
        #expect(try ask(.status, as: "no-such-user-here", role: .writer)?["error"]?["message"] == "no such account 'no-such-user-here'")
    }

    /// The gateway serves many accounts: each account's requests come out of
    /// its own bucket (the gateway, root here, has none), so one remote user
    /// cannot use up another's.
    @Test func requestsCountAgainstTheAccountTheyAreFor() throws {
        for _ in 0..<3 { #expect(try ask(.status, as: "nobody", role: .reader)?["ok"] == true) }
        let limited = try ask(.status, as: "nobody", role: .reader)
        #expect(limited?["error"]?["code"] == "rate_limited")
        #expect(limited?["error"]?["message"]?.stringValue?.contains("nobody") == true)
    }
}
