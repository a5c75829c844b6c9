import Dispatch
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// Accepts connections on the listening socket, identifies each peer from
/// the kernel, and routes its lines to the request handler. Confined to the
/// daemon queue.
///
/// Fairness between users (the policy's `daemon:` section, read afresh for
/// every connection and request, so a reload applies to the next ones):
/// connections per uid and in all, with a reserve for root and
/// admin_group; a token bucket of requests per uid (root exempt); and each
/// connection's unsent replies bounded (`Connection`).
final class Server {
    struct Limits {
        var idleTimeout: DispatchTimeInterval = .seconds(60)
    }

    let listenFD: Int32
    let queue: DispatchQueue
    let handler: RequestHandler
    let users: any UserDatabase
    let fairshareGID: UInt32
    let limits: Limits
    /// A monotonic clock in microseconds, for the token buckets.
    let clock: () -> UInt64
    private var acceptSource: DispatchSourceRead?
    private var connections: [ObjectIdentifier: Connection] = [:]
    /// Admitted connections per uid (refused ones, on their way out, are not).
    private var userConnections: [UInt32: Int] = [:]
    private var admittedCount = 0
    private var buckets: [UInt32: TokenBucket] = [:]
    /// Users whose refused connection is in the journal already: one line
    /// each time a user reaches the limit, not one per connection.
    private var refusalLogged: Set<UInt32> = []

    init(listenFD: Int32, queue: DispatchQueue, handler: RequestHandler, users: any UserDatabase,
         fairshareGID: UInt32, limits: Limits = Limits(),
         clock: @escaping () -> UInt64 = { DispatchTime.now().uptimeNanoseconds / 1000 }) {
        self.listenFD = listenFD
        self.queue = queue
        self.handler = handler
        self.users = users
        self.fairshareGID = fairshareGID
        self.limits = limits
        self.clock = clock
    }

    var connectionCount: Int { connections.count }
    /// Open connections of `uid` that were admitted.
    func connectionCount(of uid: UInt32) -> Int { userConnections[uid] ?? 0 }
    /// The open connections of `uid`, admitted or on their way out.
    func connections(of uid: UInt32) -> [Connection] { connections.values.filter { $0.caller.uid == uid } }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: listenFD, queue: queue)
        source.setEventHandler { [weak self] in self?.acceptPending() }
        acceptSource = source
        source.resume()
    }

    /// Stops accepting; open connections finish what they asked.
    func stopAccepting() {
        acceptSource?.cancel()
        acceptSource = nil
    }

    /// Connections accepted in this turn that may still be read at once
    /// (`serve`): a few, so that a burst of connections does not keep the
    /// queue from other users' events for longer than a turn of `drain`.
    private var inlineReads = 0

    private func acceptPending() {
        inlineReads = Self.requestsPerTurn
        defer { inlineReads = 0 }
        while true {
            let fd: Int32
            do {
                guard let accepted = try UnixSocket.accept(listenFD) else { return }
                fd = accepted
            } catch {
                // EMFILE and friends: leave the rest pending, try on the next event.
                return
            }
            guard let credentials = try? PeerCredentials.of(socket: fd) else {
                close(fd)
                continue
            }
            serve(fd, caller: identify(credentials, socket: fd))
        }
    }

    /// Takes a connected socket whose peer is `caller`: admits it, or
    /// answers why not and closes it.
    func serve(_ fd: Int32, caller: Caller) {
        let daemonLimits = handler.policy.daemonLimits
        let connection = Connection(fd: fd, caller: caller, queue: queue, idleTimeout: limits.idleTimeout,
                                    replyBuffer: daemonLimits.replyBuffer)
        connections[ObjectIdentifier(connection)] = connection
        connection.onLine = { [weak self] c, line in self?.enqueue(line, from: c) }
        connection.onStalled = { [weak self] c in self?.stalled(c) }
        connection.start()
        if caller.role == .outsider {
            connection.onClose = { [weak self] c in self?.connections[ObjectIdentifier(c)] = nil }
            connection.fail(.notInFairshareGroup(caller.userName))
            return
        }
        let uid = caller.uid
        if let refusal = daemonLimits.connectionBudget.refusal(uid: uid, role: caller.role, userConnections: userConnections[uid] ?? 0,
                                                               allConnections: admittedCount) {
            connection.onClose = { [weak self] c in self?.connections[ObjectIdentifier(c)] = nil }
            if !refusalLogged.contains(uid) {
                refusalLogged.insert(uid)
                handler.events.record(DaemonEvent(.throttled, "refused a connection of \(caller.userName) (uid \(uid)): \(refusal); further ones are not logged until one of theirs closes",
                                                  uid: uid, user: caller.userName))
            }
            connection.fail(.connectionRefused(refusal, user: caller.userName))
            return
        }
        admittedCount += 1
        userConnections[uid, default: 0] += 1
        connection.onClose = { [weak self] c in self?.closed(c) }
        // Its request is most likely here already: take it now, unless
        // others are waiting for their turn.
        if inlineReads > 0 && waiting.isEmpty {
            inlineReads -= 1
            connection.readNow()
        }
    }

    private func closed(_ connection: Connection) {
        connections[ObjectIdentifier(connection)] = nil
        let uid = connection.caller.uid
        admittedCount -= 1
        refusalLogged.remove(uid)
        let left = (userConnections[uid] ?? 1) - 1
        userConnections[uid] = left > 0 ? left : nil
        if left <= 0, let bucket = buckets[uid], bucket.isFull(now: clock()) { buckets[uid] = nil }
        if buckets.count > 2 * userConnections.count + 64 { forgetFullBuckets() }
    }

    /// A full bucket is the same as a new one: only users who used some of
    /// theirs recently are remembered.
    private func forgetFullBuckets() {
        let now = clock()
        buckets = buckets.filter { userConnections[$0.key] != nil || !$0.value.isFull(now: now) }
    }

    /// A connection closed for not reading its replies: the journal says whose.
    private func stalled(_ connection: Connection) {
        let caller = connection.caller
        handler.events.record(DaemonEvent(.throttled, "closed a connection of \(caller.userName) (uid \(caller.uid)): \(connection.unsentBytes) bytes of replies unread for \(limits.idleTimeout.text)",
                                          uid: caller.uid, user: caller.userName))
    }

    /// Takes a token from the caller's bucket; root is not limited.
    private func admitRequest(from caller: Caller) -> ReplyError? {
        guard caller.uid != 0 else { return nil }
        let limits = handler.policy.daemonLimits
        let now = clock()
        var bucket = buckets[caller.uid] ?? TokenBucket(rate: limits.requestsPerSecond, burst: limits.requestBurst, now: now)
        if bucket.rate != limits.requestsPerSecond || bucket.burst != limits.requestBurst {
            bucket.reconfigure(rate: limits.requestsPerSecond, burst: limits.requestBurst, now: now)
        }
        let decision = bucket.take(now: now)
        buckets[caller.uid] = bucket
        guard case .limited(let wait) = decision else { return nil }
        return .rateLimited(user: caller.userName, rate: bucket.rate, burst: bucket.burst, retryAfterMicroseconds: wait)
    }

    func identify(_ credentials: PeerCredentials, socket: Int32? = nil) -> Caller {
        let groups = credentials.allGroups
        let policy = handler.policy
        let adminGID = policy.adminGroup.flatMap(users.gid(ofGroup:))
        let readerGID = policy.readerGroup.flatMap(users.gid(ofGroup:))
        let role = Role.of(uid: credentials.uid, groups: groups, fairshareGID: fairshareGID,
                           adminGID: adminGID, readerGID: readerGID)
        let names = groups.sorted().compactMap(users.groupName(gid:))
        // The pidfd first, then the identity: both then name the same process.
        let handle = socket.flatMap { try? ProcessHandle.ofPeer(socket: $0, pid: credentials.pid) }
        return Caller(credentials: credentials, process: try? ProcessIdentity.read(pid: credentials.pid), handle: handle,
                      userName: users.userName(uid: credentials.uid) ?? "#\(credentials.uid)",
                      groupNames: names, role: role)
    }

    /// Requests waiting for their turn, one per user in turn: a user
    /// pipelining on many connections keeps another user's request
    /// waiting for at most one of theirs, not for all of them.
    private var waiting = FairQueue<UInt32, (connection: Connection, line: [UInt8])>()
    /// Fires `drain` on the queue (coalesced), behind the events already
    /// waiting there.
    private lazy var drainSource: DispatchSourceUserDataAdd = {
        let source = DispatchSource.makeUserDataAddSource(queue: queue)
        source.setEventHandler { [weak self] in self?.drain() }
        source.resume()
        return source
    }()
    /// Requests handled per turn of the queue before accepts and reads
    /// (another user's request arriving) get theirs.
    static let requestsPerTurn = 4

    /// Requests read but not yet handled (shutdown waits for them too).
    public var hasWaitingRequests: Bool { !waiting.isEmpty }
    /// A request is being handled (directly or by `drain`): lines arriving
    /// meanwhile (a reply lets the same connection deliver its next) wait
    /// their turn.
    private var handling = false

    private func enqueue(_ line: [UInt8], from connection: Connection) {
        if waiting.isEmpty && !handling {
            // Nobody is waiting, so this is the request `drain` would take
            // first: take it now rather than after a round trip through
            // the source (an eventfd write and a wake-up of libdispatch's
            // manager thread per request).
            handling = true
            received(line, on: connection)
            handling = false
            return
        }
        waiting.append((connection, line), for: connection.caller.uid)
        drainSource.add(data: 1)
    }

    private func drain() {
        var budget = Self.requestsPerTurn
        handling = true
        while budget > 0, let next = waiting.next() {
            guard !next.connection.isClosed else { continue }
            budget -= 1
            received(next.line, on: next.connection)
        }
        handling = false
        if !waiting.isEmpty { drainSource.add(data: 1) }
    }

    private func received(_ line: [UInt8], on connection: Connection) {
        // The gateway's requests count against the account they are for
        // (its name was looked up when it connected: no NSS call here).
        let fromGateway = handler.policy.settings.remoteGateway?.value == connection.caller.userName
        if !fromGateway, let limited = admitRequest(from: connection.caller) {
            connection.reply(.failure(limited))
            return
        }
        let request: ClientRequest
        var caller = connection.caller
        do {
            let json = try JSON.parse(line)
            request = try ClientRequest.decode(json)
            if let onBehalf = try OnBehalf.decode(from: json) {
                switch delegatedCaller(onBehalf, request: request, from: caller) {
                case .success(let account): caller = account
                case .failure(let refusal):
                    connection.reply(.failure(ReplyError(code: refusal.code, message: refusal.message)))
                    return
                }
            }
        } catch let e as JSONParseError {
            connection.fail(.badRequest, "not a JSON request: \(e)")
            return
        } catch let e as RequestDecodingError {
            // A well-formed line with a bad request keeps the connection.
            connection.reply(.failure(e.replyError))
            return
        } catch {
            connection.fail(.internalError, "\(error)")
            return
        }
        if fromGateway, let limited = admitRequest(from: caller) {
            connection.reply(.failure(limited))
            return
        }
        handler.handle(request, from: caller) { [weak connection] reply in
            connection?.reply(reply)
        }
    }
}

private extension DispatchTimeInterval {
    /// "60 s", "500 ms": for journal lines.
    var text: String {
        switch self {
        case .seconds(let n): "\(n) s"
        case .milliseconds(let n): "\(n) ms"
        case .microseconds(let n): "\(n) µs"
        case .nanoseconds(let n): "\(n) ns"
        case .never: "ever"
        @unknown default: "the idle timeout"
        }
    }
}
