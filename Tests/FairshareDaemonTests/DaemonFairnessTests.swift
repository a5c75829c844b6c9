import Dispatch
import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon
#if canImport(Glibc)
import Glibc
#endif

/// The server's fairness between users (the policy's `daemon:` section):
/// connections per uid with a reserve for root and admin_group, a token
/// bucket per uid, and backpressure on replies nobody reads. Connections
/// are socketpairs handed to the server with the caller they stand for.
@Suite(.serialized) final class DaemonFairnessTests {
    let queue = DispatchQueue(label: "test-daemon-fairness")
    let events = RecordingEventLog()
    /// Microseconds of the monotonic clock the buckets see.
    let clock = TestClock()
    var server: Server!
    private var clients: [Int32] = []

    func start(daemon: String, idleTimeout: DispatchTimeInterval = .seconds(60)) {
        let policy = FixedPolicy(extra: "daemon: \(daemon)")
        let handler = RequestHandler(policy: policy.compiled, policyStore: MemoryPolicyStore(policy), state: DaemonState(),
                                     machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                                     controller: FakeSliceController(), store: MemoryStateStore(), events: events, now: { 0 })
        let clock = self.clock
        server = Server(listenFD: -1, queue: queue, handler: handler, users: SystemUserDatabase(), fairshareGID: getgid(),
                        limits: Server.Limits(idleTimeout: idleTimeout), clock: { clock.now })
    }

    deinit { clients.forEach { _ = close($0) } }

    /// A new connection of `who`; the client's end, blocking, 5 s timeouts.
    func connect(_ who: Caller, serverSendBuffer: Int32? = nil) throws -> Int32 {
        var fds: [Int32] = [0, 0]
        try #require(socketpair(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0, &fds) == 0)
        _ = fcntl(fds[0], F_SETFL, fcntl(fds[0], F_GETFL) | O_NONBLOCK)
        if var size = serverSendBuffer {
            setsockopt(fds[0], SOL_SOCKET, SO_SNDBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fds[1], SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        clients.append(fds[1])
        queue.sync { server.serve(fds[0], caller: who) }
        return fds[1]
    }

    func send(_ fd: Int32, _ requests: [ClientRequest]) {
        let bytes = Array(requests.map { $0.json.serialized + "\n" }.joined().utf8)
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return }
            offset += n
        }
    }

    /// Up to `count` reply lines, and whether the daemon closed after them.
    func receive(_ fd: Int32, _ count: Int, thenClose: Bool = false) throws -> (replies: [JSON], closed: Bool) {
        var framer = LineFramer(limit: 1 << 20)
        var replies: [JSON] = []
        var buffer = [UInt8](repeating: 0, count: 1)
        // One byte at a time: nothing past the lines asked for is consumed.
        while replies.count < count {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 1, 0) }
            if n <= 0 { return (replies, n == 0) }
            for case .line(let l) in framer.feed(buffer[0..<1]) { replies.append(try JSON.parse(l)) }
        }
        guard thenClose else { return (replies, false) }
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, 1, 0) }
        return (replies, n == 0 || (n < 0 && errno == ECONNRESET))
    }

    let alice = caller(uid: 1000, name: "alice")
    let bob = caller(uid: 1001, name: "bob")

    @Test func eachUserGetsTheirOwnConnectionsAndTheReserveIsForAdmins() throws {
        start(daemon: "{connections: 4, connections_per_user: 2, reserved_connections: 1}")
        let first = try connect(alice)
        _ = try connect(alice)
        #expect(queue.sync { server.connectionCount(of: 1000) } == 2)

        let third = try connect(alice)
        let (refused, closed) = try receive(third, 1, thenClose: true)
        #expect(refused.first?["error"]?["code"] == "unavailable")
        let message = refused.first?["error"]?["message"]?.stringValue ?? ""
        #expect(message.contains("alice already has 2 connections"))
        #expect(message.contains("daemon.connections_per_user"))
        #expect(closed)
        #expect(queue.sync { server.connectionCount(of: 1000) } == 2)
        // A second refusal is not logged again: one journal line per episode.
        _ = try receive(try connect(alice), 1)
        #expect(events.events.filter { $0.kind == .throttled && $0.uid == 1000 }.count == 1)

        // Another user is not affected by alice's limit.
        let bobs = try connect(bob)
        send(bobs, [.status])
        #expect(try receive(bobs, 1).replies.first?["ok"] == true)
        _ = try connect(caller(uid: 1002, name: "carol"))
        #expect(queue.sync { server.connectionCount(of: 1002) } == 1)

        // Four are open: a member is refused, an admin takes the reserve, then root is refused too.
        let dave = try connect(caller(uid: 1003, name: "dave"))
        #expect(try receive(dave, 1).replies.first?["error"]?["message"]?.stringValue?.contains("daemon.connections") == true)
        let admin = try connect(caller(uid: 1004, name: "erin", role: .admin))
        send(admin, [.status])
        #expect(try receive(admin, 1).replies.first?["ok"] == true)
        let root = try connect(caller(uid: 0, name: "root", role: .admin))
        #expect(try receive(root, 1).replies.first?["error"]?["code"] == "unavailable")

        // When alice closes one (and erin hers, so members fit again), she may connect again.
        for fd in [first, admin] {
            close(fd)
            clients.removeAll { $0 == fd }
        }
        try waitUntil { self.queue.sync { self.server.connectionCount(of: 1000) == 1 && self.server.connectionCount(of: 1004) == 0 } }
        let again = try connect(alice)
        send(again, [.whoami])
        #expect(try receive(again, 1).replies.first?["ok"] == true)
    }

    @Test func requestsOverTheRateGetRateLimitedAndTheConnectionStaysUsable() throws {
        start(daemon: "{requests_per_second: 2, request_burst: 3}")
        clock.now = 10_000_000
        let fd = try connect(alice)
        send(fd, Array(repeating: .status, count: 5))
        let replies = try receive(fd, 5).replies
        #expect(replies.prefix(3).allSatisfy { $0["ok"] == true })
        for limited in replies.suffix(2) {
            #expect(limited["error"]?["code"] == "rate_limited")
            #expect(limited["error"]?["retry_after_ms"] == 500)
            #expect(limited["error"]?["message"]?.stringValue?.contains("at most 2 a second (bursts of 3)") == true)
        }
        // Half a second later one more token has come.
        clock.now += 500_000
        send(fd, [.status, .status])
        let later = try receive(fd, 2).replies
        #expect(later.map { $0["ok"] } == [true, false])
        // Bob's bucket is his own; root has none.
        let bobs = try connect(bob)
        send(bobs, [.status, .status, .status])
        #expect(try receive(bobs, 3).replies.allSatisfy { $0["ok"] == true })
        let root = try connect(caller(uid: 0, name: "root", role: .admin))
        send(root, Array(repeating: .status, count: 8))
        #expect(try receive(root, 8).replies.allSatisfy { $0["ok"] == true })
    }

    @Test func aReaderThatNeverReadsIsNotReadEitherAndCostsBoundedMemory() throws {
        start(daemon: "{reply_buffer: 64K}")
        let bound = 64 << 10
        let fd = try connect(alice, serverSendBuffer: 4096)
        let connection = try #require(queue.sync { server.connections(of: 1000).first })
        var (sent, largest) = try fillUntilBackpressured(fd, connection)
        // Not read any more: more requests produce no more replies.
        let before = queue.sync { connection.unsentBytes }
        send(fd, Array(repeating: .status, count: 8))
        sent += 8
        usleep(100_000)
        let after = queue.sync { connection.unsentBytes }
        #expect(after == before)
        #expect(max(largest, after) <= bound + 4096, "unsent replies stay within reply_buffer and one reply")

        // Others are answered meanwhile.
        let bobs = try connect(bob)
        send(bobs, [.status])
        #expect(try receive(bobs, 1).replies.first?["ok"] == true)

        // Once alice reads, every request she sent is answered, in order.
        let replies = try receive(fd, sent).replies
        #expect(replies.count == sent)
        #expect(replies.allSatisfy { $0["ok"] == true })
        #expect(queue.sync { !connection.isBackpressured && !connection.isClosed })
    }

    @Test func aConnectionBlockedPastTheIdleTimeoutIsClosedAndLogged() throws {
        start(daemon: "{reply_buffer: 64K}", idleTimeout: .milliseconds(300))
        let fd = try connect(alice, serverSendBuffer: 4096)
        _ = try fillUntilBackpressured(fd, try #require(queue.sync { server.connections(of: 1000).first }))
        try waitUntil(seconds: 5) { self.queue.sync { self.server.connectionCount(of: 1000) } == 0 }
        let line = try #require(events.events.first { $0.kind == .throttled && $0.uid == 1000 })
        #expect(line.user == "alice")
        #expect(line.message.contains("closed a connection of alice (uid 1000)"))
        #expect(line.message.contains("unread for 300 ms"))
    }

    /// Sends status requests in batches of 8 (the most one connection may
    /// queue), each once the daemon has read the one before, never reading
    /// a reply, until the daemon stops reading: how many were sent, and the
    /// most reply bytes the connection held meanwhile.
    func fillUntilBackpressured(_ fd: Int32, _ connection: Connection) throws -> (sent: Int, largest: Int) {
        var sent = 0, largest = 0
        for _ in 0..<10_000 {
            send(fd, Array(repeating: .status, count: 8))
            sent += 8
            try waitUntil { self.unread(fd) == 0 || self.queue.sync { connection.isBackpressured } }
            let (unsent, blocked) = queue.sync { (connection.unsentBytes, connection.isBackpressured) }
            largest = max(largest, unsent)
            if blocked { return (sent, largest) }
            try #require(queue.sync { !connection.isClosed })
        }
        Issue.record("the daemon never stopped reading")
        return (sent, largest)
    }

    /// Bytes the client sent that the daemon has not read yet.
    func unread(_ fd: Int32) -> Int32 {
        var queued: Int32 = 0
        return ioctl(fd, UInt(TIOCOUTQ), &queued) == 0 ? queued : -1
    }

    func waitUntil(seconds: Double = 5, _ condition: () -> Bool) throws {
        let deadline = DispatchTime.now() + seconds
        while !condition() {
            try #require(DispatchTime.now() < deadline, "condition not met within \(seconds) s")
            usleep(1_000)
        }
    }
}
