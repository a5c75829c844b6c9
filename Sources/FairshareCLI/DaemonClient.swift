import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// One connection to fairshared: send a request line, read the reply line.
/// It rides out a daemon restart (ReconnectPolicy, fairshare(1) RESTARTS):
/// a refused connect is tried again, and so is a read-only request whose
/// connection closed before the reply, for at most 5 s in all.
public final class DaemonClient {
    static let defaultSocket = "/run/fairshare.sock"
    /// How long to wait for a reply: longer than the daemon waits for any
    /// systemd job, so a slow systemd gives the daemon's error, not ours.
    static let replyTimeoutSeconds = 60

    let path: String
    private(set) var fd: Int32
    private let retry: ReconnectPolicy
    /// Set by fairshare-remote: every request goes *on behalf of* this
    /// account (fairshared(8), REMOTE); nil for a local command.
    public var onBehalf: OnBehalf?

    private init(path: String, fd: Int32, retry: ReconnectPolicy) {
        self.path = path
        self.fd = fd
        self.retry = retry
    }

    /// Connects, trying again while the daemon restarts, and turns the two
    /// common failures into messages that say what to do.
    public static func connect(_ path: String, retry: ReconnectPolicy = .standard) throws(ClientFailure) -> DaemonClient {
        DaemonClient(path: path, fd: try openSocket(path, retry: retry), retry: retry)
    }

    /// A connected socket to `path`; connect failures of a restarting daemon
    /// (ECONNREFUSED, ENOENT, EAGAIN) are tried again within the budget,
    /// whatever the request (nothing was sent yet). `clock`: since when the
    /// budget counts (a reconnect after a closed connection shares its).
    private static func openSocket(_ path: String, retry: ReconnectPolicy, since clock: RetryClock = RetryClock()) throws(ClientFailure) -> Int32 {
        var attempt = 0
        while true {
            do {
                let fd = try UnixSocket.connect(to: path)
                var timeout = timeval(tv_sec: replyTimeoutSeconds, tv_usec: 0)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                return fd
            } catch {
                switch error.errno {
                case .permissionDenied:
                    // Right after the socket came back (we were already
                    // waiting for it), systemd may not yet have set its
                    // group and mode: a moment later it is the member's.
                    if attempt > 0, let wait = retry.delay(after: .connectFailed, attempt: attempt, elapsedMilliseconds: clock.elapsedMilliseconds) {
                        attempt += 1
                        usleep(useconds_t(wait * 1000))
                        continue
                    }
                    throw ClientFailure("""
                        permission denied on \(path): you are not in group 'fairshare'. \
                        Ask an administrator to run 'adduser \(currentUserName()) fairshare', then log in again.
                        """, status: ExitStatus.permissionDenied)
                case .connectionRefused, .noSuchFileOrDirectory, .resourceTemporarilyUnavailable:
                    if let wait = retry.delay(after: .connectFailed, attempt: attempt, elapsedMilliseconds: clock.elapsedMilliseconds) {
                        attempt += 1
                        usleep(useconds_t(wait * 1000))
                        continue
                    }
                    let waited = attempt > 0 ? ", tried again for \(clock.elapsedMilliseconds / 1000) s" : ""
                    throw ClientFailure("""
                        cannot reach fairshared at \(path): \(error.errno)\(waited) \
                        (is the daemon running? 'systemctl status fairshared')
                        """, status: ExitStatus.unavailable)
                default:
                    throw ClientFailure("""
                        cannot reach fairshared at \(path): \(error.errno) \
                        (is the daemon running? 'systemctl status fairshared')
                        """, status: ExitStatus.unavailable)
                }
            }
        }
    }

    /// Sends `request` and waits for the result; daemon errors become
    /// `ClientFailure`s with the documented exit codes.
    /// `notices`: print the daemon's notices for this user on stderr.
    func call(_ request: ClientRequest, notices: Bool = true) throws(ClientFailure) -> JSON {
        switch try reply(request) {
        case .success(let result):
            if notices, let notice = result["notice"]?.stringValue { StandardStreams.err("fairshare: notice: \(notice)\n") }
            if notices, let warning = result["warning"]?.stringValue { StandardStreams.err("fairshare: warning: \(warning)\n") }
            return result
        case .failure(let error):
            if notices, let notice = error.details["notice"]?.stringValue { StandardStreams.err("fairshare: notice: \(notice)\n") }
            throw ClientFailure.from(error)
        }
    }

    /// Sends `request` and returns fairshared's reply, its error as sent;
    /// only a failure to get a readable reply throws.
    public func reply(_ request: ClientRequest) throws(ClientFailure) -> Reply {
        let replyLine = try exchange(request)
        let json: JSON
        do {
            json = try JSON.parse(replyLine)
        } catch {
            throw ClientFailure("fairshared sent something that is not JSON: \(error)", status: ExitStatus.protocolError)
        }
        guard let reply = Reply.decode(json) else {
            throw ClientFailure("fairshared sent a reply without \"ok\"", status: ExitStatus.protocolError)
        }
        return reply
    }

    /// `call`, its result read as `T`.
    func call<T: ReplyValue>(_ request: ClientRequest, as type: T.Type, notices: Bool = true) throws(ClientFailure) -> T {
        try T.read(call(request, notices: notices))
    }

    public func close() { _ = Glibc.close(fd) }

    /// Sends `request` and reads the reply line. A read-only request whose
    /// connection the daemon closed unanswered (it restarted in between) is
    /// sent again on a new connection, within the retry budget.
    private func exchange(_ request: ClientRequest) throws(ClientFailure) -> [UInt8] {
        var json = request.json
        if let onBehalf, case .object(var o) = json {
            o["on_behalf"] = onBehalf.json
            json = .object(o)
        }
        let line = Array((json.serialized + "\n").utf8)
        var clock: RetryClock?
        var attempt = 0
        while true {
            let failure: ClientFailure
            if writeAll(line) {
                switch readLine() {
                case .success(let reply): return reply
                case .failure(.final(let error)): throw error
                case .failure(.closed(let error)): failure = error
                }
            } else {
                failure = ClientFailure("lost the connection to fairshared at \(path) while sending", status: ExitStatus.unavailable)
            }
            let started = clock ?? RetryClock()
            clock = started
            guard let wait = retry.delay(after: .closedBeforeReply(request), attempt: attempt,
                                         elapsedMilliseconds: started.elapsedMilliseconds) else { throw failure }
            attempt += 1
            usleep(useconds_t(wait * 1000))
            _ = Glibc.close(fd)
            fd = try Self.openSocket(path, retry: retry, since: started)
        }
    }

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

    /// Why no reply line came.
    private enum ReadFailure: Error {
        /// No answer within `replyTimeoutSeconds`, or a reply this client
        /// cannot read: not a restart, never tried again.
        case final(ClientFailure)
        /// End of file or a reset before a whole line.
        case closed(ClientFailure)
    }

    private func readLine() -> Result<[UInt8], ReadFailure> {
        var framer = LineFramer()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n < 0 && errno == EINTR { continue }
            if n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) {
                return .failure(.final(ClientFailure("fairshared at \(path) did not answer within \(Self.replyTimeoutSeconds) s (see 'journalctl -u fairshared')",
                                                        status: ExitStatus.unavailable)))
            }
            if n <= 0 {
                return .failure(.closed(ClientFailure("fairshared closed the connection without answering (see 'journalctl -u fairshared')",
                                                      status: ExitStatus.unavailable)))
            }
            for event in framer.feed(buffer[0..<n]) {
                switch event {
                case .line(let line): return .success(line)
                case .overflow:
                    return .failure(.final(ClientFailure("fairshared sent an over-long reply", status: ExitStatus.protocolError)))
                }
            }
        }
    }

    private static func currentUserName() -> String {
        SystemUserDatabase().userName(uid: getuid()) ?? "$USER"
    }
}
