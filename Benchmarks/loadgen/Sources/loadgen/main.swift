// loadgen - closed-loop load on a line-protocol Unix socket.
//
//   loadgen --socket PATH [--connections 8] [--seconds 2] [--warmup 0.3]
//           [--request LINE] [--expect TEXT]
//
// Opens CONNECTIONS connections (one thread each) and keeps them open; each
// sends REQUEST plus a newline, waits for one reply line, and repeats until
// the time is up. Replies completed during the first WARMUP seconds are not
// counted. A reply that does not contain TEXT (when given) counts as an
// error. Prints one JSON object: requests, seconds, rps, latency p50/p90/p99/
// max in microseconds, errors, and the first reply seen.
import Glibc

func monotonicNanoseconds() -> UInt64 {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
}

func fail(_ message: String) -> Never {
    let line = Array("loadgen: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

struct Options {
    var socket = ""
    var connections = 8
    var seconds = 2.0
    var warmup = 0.3
    var request = #"{"v":1,"op":"status"}"#
    var expect: String?

    init(_ args: [String]) {
        var i = 1
        func value() -> String {
            i += 1
            guard i < args.count else { fail("\(args[i - 1]) needs a value") }
            return args[i]
        }
        while i < args.count {
            switch args[i] {
            case "--socket": socket = value()
            case "--connections": connections = Int(value()) ?? 0
            case "--seconds": seconds = Double(value()) ?? 0
            case "--warmup": warmup = Double(value()) ?? -1
            case "--request": request = value()
            case "--expect": expect = value()
            case "-h", "--help":
                print("usage: loadgen --socket PATH [--connections N] [--seconds S] [--warmup S] [--request LINE] [--expect TEXT]")
                exit(0)
            default: fail("unknown argument '\(args[i])'")
            }
            i += 1
        }
        guard !socket.isEmpty else { fail("--socket is required") }
        guard connections > 0, seconds > 0, warmup >= 0 else { fail("bad --connections, --seconds or --warmup") }
    }
}

func connectUnix(_ path: String) -> Int32 {
    let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { fail("socket: \(String(cString: strerror(errno)))") }
    var addr = sockaddr_un()
    addr.sun_family = sa_family_t(AF_UNIX)
    let bytes = Array(path.utf8)
    guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { fail("socket path too long") }
    withUnsafeMutableBytes(of: &addr.sun_path) { raw in
        for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
            connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
        }
    }
    guard rc == 0 else { fail("connect \(path): \(String(cString: strerror(errno)))") }
    return fd
}

/// One client: its own thread and connection; touched by the main thread
/// only before start and after join.
final class Worker: @unchecked Sendable {
    let path: String
    let request: [UInt8]
    let expect: [UInt8]?
    let countFrom: UInt64
    let deadline: UInt64
    var latencies: [UInt64] = []
    var errors = 0
    var firstReply = ""
    var problem: String?

    init(path: String, request: [UInt8], expect: [UInt8]?, countFrom: UInt64, deadline: UInt64) {
        self.path = path
        self.request = request
        self.expect = expect
        self.countFrom = countFrom
        self.deadline = deadline
        latencies.reserveCapacity(1 << 16)
    }

    func run() {
        let fd = connectUnix(path)
        defer { close(fd) }
        var buffer = [UInt8](repeating: 0, count: 1 << 17)
        while true {
            let t0 = monotonicNanoseconds()
            if t0 >= deadline { return }
            var sent = 0
            while sent < request.count {
                let n = request.withUnsafeBytes { send(fd, $0.baseAddress! + sent, $0.count - sent, Int32(MSG_NOSIGNAL)) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { problem = "send: \(String(cString: strerror(errno)))"; return }
                sent += n
            }
            // One reply line; closed loop, so nothing follows it.
            var used = 0
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress! + used, $0.count - used, 0) }
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else { problem = n == 0 ? "the server closed the connection" : "recv: \(String(cString: strerror(errno)))"; return }
                used += n
                if buffer[used - 1] == 10 { break }
                guard used < buffer.count else { problem = "reply longer than \(buffer.count) bytes"; return }
            }
            let t1 = monotonicNanoseconds()
            if firstReply.isEmpty { firstReply = String(decoding: buffer[0..<(used - 1)], as: UTF8.self) }
            if let expect, !contains(buffer[0..<used], expect) { errors += 1 }
            if t0 >= countFrom && t1 <= deadline { latencies.append(t1 - t0) }
        }
    }

    private func contains(_ hay: ArraySlice<UInt8>, _ needle: [UInt8]) -> Bool {
        guard needle.count <= hay.count else { return false }
        var i = hay.startIndex
        while i + needle.count <= hay.endIndex {
            if hay[i] == needle[0] && hay[i..<(i + needle.count)].elementsEqual(needle) { return true }
            i += 1
        }
        return false
    }
}

func percentile(_ sorted: [UInt64], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return 0 }
    let rank = min(sorted.count - 1, max(0, Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1))
    return Double(sorted[rank]) / 1000
}

func jsonString(_ s: String) -> String {
    var out = "\""
    for u in s.unicodeScalars {
        switch u {
        case "\"": out += "\\\""
        case "\\": out += "\\\\"
        case _ where u.value < 0x20: out += "\\u00" + (u.value < 16 ? "0" : "") + String(u.value, radix: 16)
        default: out.unicodeScalars.append(u)
        }
    }
    return out + "\""
}

let options = Options(CommandLine.arguments)
let start = monotonicNanoseconds()
let countFrom = start + UInt64(options.warmup * 1e9)
let deadline = countFrom + UInt64(options.seconds * 1e9)
let workers = (0..<options.connections).map { _ in
    Worker(path: options.socket, request: Array((options.request + "\n").utf8),
           expect: options.expect.map { Array($0.utf8) }, countFrom: countFrom, deadline: deadline)
}
/// Runs `worker` on a thread of its own. (A function, not top-level code:
/// a closure written at top level would be main-actor isolated and trap.)
func startThread(_ worker: Worker) -> pthread_t {
    var thread = pthread_t()
    let context = Unmanaged.passRetained(worker).toOpaque()
    let rc = pthread_create(&thread, nil, { context in
        Unmanaged<Worker>.fromOpaque(context!).takeRetainedValue().run()
        return nil
    }, context)
    guard rc == 0 else { fail("pthread_create: \(rc)") }
    return thread
}
let threads = workers.map(startThread)
for thread in threads { pthread_join(thread, nil) }

if let problem = workers.compactMap(\.problem).first { fail(problem) }
let all = workers.flatMap(\.latencies).sorted()
let errors = workers.reduce(0) { $0 + $1.errors }
let rps = Double(all.count) / options.seconds
print("""
    {"connections": \(options.connections), "seconds": \(options.seconds), "requests": \(all.count), \
    "rps": \((rps * 10).rounded() / 10), "p50_us": \(percentile(all, 50)), "p90_us": \(percentile(all, 90)), \
    "p99_us": \(percentile(all, 99)), "max_us": \(percentile(all, 100)), "errors": \(errors), \
    "reply": \(jsonString(workers.first?.firstReply ?? ""))}
    """)
