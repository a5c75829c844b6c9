import Dispatch
import Testing
import FairshareCore
import FairshareSystem
@testable import FairshareDaemon
#if canImport(Glibc)
import Glibc
#endif

/// The socket server over a real Unix socket, with systemd faked.
@Suite(.serialized) final class ServerTests {
    let queue = DispatchQueue(label: "test-daemon")
    let path = "/tmp/fairshare-test-\(getpid())-\(UInt32.random(in: 0...UInt32.max)).sock"
    var server: Server!
    let controller = FakeSliceController()

    init() throws {
        let fd = try UnixSocket.listen(at: path, mode: 0o660, group: nil)
        let handler = RequestHandler(policy: FixedPolicy().compiled, policyStore: MemoryPolicyStore(FixedPolicy()), state: DaemonState(),
                                     machine: Capacity(cpu: CPUQuantity(cpus: 2), mem: .gibibytes(1)),
                                     controller: controller, store: MemoryStateStore(), events: RecordingEventLog(),
                                     now: { 0 })
        server = Server(listenFD: fd, queue: queue, handler: handler, users: SystemUserDatabase(), fairshareGID: getgid())
        queue.sync { server.start() }
    }

    deinit { unlink(path) }

    /// Sends `bytes`, then reads until the daemon closes or `lines` lines came.
    func exchange(_ bytes: [UInt8], lines: Int = 1, shutdownWrite: Bool = false, expectClose: Bool = false) throws -> (replies: [JSON], closed: Bool) {
        let fd = try UnixSocket.connect(to: path)
        defer { close(fd) }
        var tv = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { break }
            offset += n
        }
        if shutdownWrite { shutdown(fd, Int32(SHUT_WR)) }
        var framer = LineFramer()
        var replies: [JSON] = []
        var buf = [UInt8](repeating: 0, count: 4096)
        while replies.count < lines {
            let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return (replies, n == 0) }
            for case .line(let l) in framer.feed(buf[0..<n]) { replies.append(try JSON.parse(l)) }
        }
        guard expectClose else { return (replies, false) }
        // Closed by the daemon? (blocks up to the receive timeout)
        // (A close with unread input in the daemon's buffer shows as ECONNRESET.)
        let n = buf.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return (replies, n == 0 || (n < 0 && errno == ECONNRESET))
    }

    @Test func answersAStatusRequest() throws {
        let (replies, _) = try exchange(Array((ClientRequest.status.json.serialized + "\n").utf8))
        #expect(replies.first?["ok"] == true)
        #expect(replies.first?["result"]?["system"]?["cpu"] == 2)
    }

    @Test func garbageGetsAnErrorAndTheConnectionClosed() throws {
        let (replies, closed) = try exchange(Array("hello\n".utf8), lines: 1, expectClose: true)
        #expect(replies.first?["ok"] == false)
        #expect(replies.first?["error"]?["code"] == "bad_request")
        #expect(closed)
    }

    @Test func overlongLineGetsAnErrorAndTheConnectionClosed() throws {
        let (replies, closed) = try exchange([UInt8](repeating: 0x41, count: 70_000), lines: 1, expectClose: true)
        #expect(replies.first?["error"]?["code"] == "line_too_long")
        #expect(closed)
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() throws {
        let text = ClientRequest.request(ResourceRequest()).json.serialized + "\n" + ClientRequest.whoami.json.serialized + "\n"
            + ClientRequest.release.json.serialized + "\n"
        let (replies, _) = try exchange(Array(text.utf8), lines: 3)
        #expect(replies.count == 3)
        #expect(replies[0]["result"]?["created"] == true)
        #expect(replies[1]["result"]?["slice"] != nil)
        #expect(replies[2]["result"]?["released"] == true)
    }

    @Test func aClientThatHangsUpEarlyStillGetsItsRequestDone() throws {
        let (replies, _) = try exchange(Array((ClientRequest.status.json.serialized + "\n").utf8), shutdownWrite: true)
        #expect(replies.first?["ok"] == true)
    }

    @Test func wrongVersionKeepsTheConnection() throws {
        let text = #"{"v":7,"op":"status"}"# + "\n" + ClientRequest.status.json.serialized + "\n"
        let (replies, _) = try exchange(Array(text.utf8), lines: 2)
        #expect(replies.first?["error"]?["code"] == "unsupported_version")
        #expect(replies.last?["ok"] == true)
    }

    @Test func keepsServingAfterAbuse() throws {
        _ = try exchange([UInt8](repeating: 0x7B, count: 100_000))
        _ = try exchange(Array("{{{{\n".utf8))
        let (replies, _) = try exchange(Array((ClientRequest.status.json.serialized + "\n").utf8))
        #expect(replies.first?["ok"] == true)
    }
}
