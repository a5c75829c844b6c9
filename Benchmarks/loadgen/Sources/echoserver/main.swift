// echoserver - the ceiling for fairshared's request throughput.
//
//   echoserver SOCKET
//
// Listens on the Unix socket SOCKET (mode 0666) and answers every line
// with the line itself, newline included. Built like fairshared's server
// and nothing more: one serial Dispatch queue, a read source on the
// listening socket, one non-blocking read source per connection, writes
// straight from the handler. Runs until killed.
import Dispatch
import Glibc

func fail(_ message: String) -> Never {
    let line = Array("echoserver: \(message)\n".utf8)
    _ = line.withUnsafeBytes { write(2, $0.baseAddress, $0.count) }
    exit(2)
}

/// One client; confined to the queue.
final class EchoConnection: @unchecked Sendable {
    let fd: Int32
    var source: DispatchSourceRead?
    var pending: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 16384)

    init(fd: Int32) { self.fd = fd }

    func readAvailable() {
        while true {
            let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                pending.append(contentsOf: buffer[0..<n])
                if let last = pending.lastIndex(of: 10) {
                    // Every complete line goes back as it came.
                    let upTo = last + 1
                    if !writeAll(pending, count: upTo) { return finish() }
                    pending.removeFirst(upTo)
                }
                if n < buffer.count { return }
                continue
            }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { return }
            return finish()
        }
    }

    private func writeAll(_ bytes: [UInt8], count: Int) -> Bool {
        var offset = 0
        while offset < count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, count - offset) }
            if n > 0 { offset += n; continue }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) { usleep(100); continue }
            return false
        }
        return true
    }

    private func finish() {
        source?.cancel()
        source = nil
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 2, !arguments[1].hasPrefix("-") else {
    print("usage: echoserver SOCKET")
    exit(arguments.count == 2 ? 0 : 2)
}
serve(arguments[1])

/// Everything runs in a function: closures written in top-level code would
/// be main-actor isolated and trap when Dispatch runs them on `queue`.
func serve(_ path: String) -> Never {
    unlink(path)
    let listenFD = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard listenFD >= 0 else { fail("socket: \(String(cString: strerror(errno)))") }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    let pathBytes = Array(path.utf8)
    guard pathBytes.count < MemoryLayout.size(ofValue: address.sun_path) else { fail("socket path too long") }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, b) in pathBytes.enumerated() { raw[i] = b }
    }
    let bound = withUnsafePointer(to: &address) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(listenFD, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
    }
    guard bound == 0 else { fail("bind \(path): \(String(cString: strerror(errno)))") }
    chmod(path, 0o666)
    guard listen(listenFD, 128) == 0 else { fail("listen: \(String(cString: strerror(errno)))") }
    _ = fcntl(listenFD, F_SETFL, fcntl(listenFD, F_GETFL) | O_NONBLOCK)

    let queue = DispatchQueue(label: "echoserver")
    let acceptSource = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: queue)
    acceptSource.setEventHandler {
        while true {
            let fd = accept(listenFD, nil, nil)
            guard fd >= 0 else { return }
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            let connection = EchoConnection(fd: fd)
            let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
            // The handler keeps the connection alive until its source is cancelled.
            source.setEventHandler { connection.readAvailable() }
            source.setCancelHandler { _ = close(fd) }
            connection.source = source
            source.resume()
        }
    }
    acceptSource.resume()
    signal(SIGPIPE, SIG_IGN)
    dispatchMain()
}
