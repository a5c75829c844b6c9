import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// One connection to fairshared: send a request line, read the reply line.
struct DaemonClient {
    static let defaultSocket = "/run/fairshare.sock"
    /// How long to wait for a reply: longer than the daemon waits for any
    /// systemd job, so a slow systemd gives the daemon's error, not ours.
    static let replyTimeoutSeconds = 60

    let path: String
    let fd: Int32

    /// Connects, turning the two common failures into messages that say
    /// what to do.
    static func connect(_ path: String) throws(ClientFailure) -> DaemonClient {
        do {
            let fd = try UnixSocket.connect(to: path)
            var timeout = timeval(tv_sec: replyTimeoutSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            return DaemonClient(path: path, fd: fd)
        } catch {
            switch error.errno {
            case .permissionDenied:
                throw ClientFailure("""
                    permission denied on \(path): you are not in group 'fairshare'. \
                    Ask an administrator to run 'adduser \(currentUserName()) fairshare', then log in again.
                    """, status: ExitStatus.permissionDenied)
            default:
                throw ClientFailure("""
                    cannot reach fairshared at \(path): \(error.errno) \
                    (is the daemon running? 'systemctl status fairshared')
                    """, status: ExitStatus.unavailable)
            }
        }
    }

    /// Sends `request` and waits for the result; daemon errors become
    /// `ClientFailure`s with the documented exit codes.
    /// `notices`: print the daemon's notices for this user on stderr.
    func call(_ request: ClientRequest, notices: Bool = true) throws(ClientFailure) -> JSON {
        let line = request.json.serialized + "\n"
        guard writeAll(Array(line.utf8)) else {
            throw ClientFailure("lost the connection to fairshared at \(path) while sending", status: ExitStatus.unavailable)
        }
        let replyLine = try readLine()
        let json: JSON
        do {
            json = try JSON.parse(replyLine)
        } catch {
            throw ClientFailure("fairshared sent something that is not JSON: \(error)", status: ExitStatus.protocolError)
        }
        switch Reply.decode(json) {
        case .success(let result)?:
            if notices, let notice = result["notice"]?.stringValue { StandardStreams.err("fairshare: notice: \(notice)\n") }
            if notices, let warning = result["warning"]?.stringValue { StandardStreams.err("fairshare: warning: \(warning)\n") }
            return result
        case .failure(let error)?:
            if notices, let notice = error.details["notice"]?.stringValue { StandardStreams.err("fairshare: notice: \(notice)\n") }
            throw ClientFailure.from(error)
        case nil: throw ClientFailure("fairshared sent a reply without \"ok\"", status: ExitStatus.protocolError)
        }
    }

    /// `call`, its result read as `T`.
    func call<T: ReplyValue>(_ request: ClientRequest, as type: T.Type, notices: Bool = true) throws(ClientFailure) -> T {
        try T.read(call(request, notices: notices))
    }

    func close() { _ = Glibc.close(fd) }

    private func writeAll(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { send(fd, $0.baseAddress! + offset, $0.count - offset, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += n
        }
        return true
    }

    private func readLine() throws(ClientFailure) -> [UInt8] {
        var framer = LineFramer()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                throw ClientFailure("fairshared at \(path) did not answer within \(Self.replyTimeoutSeconds) s (see 'journalctl -u fairshared')",
                                    status: ExitStatus.unavailable)
            }
            if n <= 0 {
                throw ClientFailure("fairshared closed the connection without answering (see 'journalctl -u fairshared')",
                                    status: ExitStatus.unavailable)
            }
            for event in framer.feed(buffer[0..<n]) {
                switch event {
                case .line(let line): return line
                case .overflow: throw ClientFailure("fairshared sent an over-long reply", status: ExitStatus.protocolError)
                }
            }
        }
    }

    private static func currentUserName() -> String {
        SystemUserDatabase().userName(uid: getuid()) ?? "$USER"
    }
}
