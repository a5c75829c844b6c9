import Dispatch
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// Accepts connections on the listening socket, identifies each peer from
/// the kernel, and routes its lines to the request handler. Confined to the
/// daemon queue.
final class Server {
    struct Limits {
        var maxConnections = 512
        var idleTimeout: DispatchTimeInterval = .seconds(60)
    }

    let listenFD: Int32
    let queue: DispatchQueue
    let handler: RequestHandler
    let users: any UserDatabase
    let fairshareGID: UInt32
    let limits: Limits
    private var acceptSource: DispatchSourceRead?
    private var connections: [ObjectIdentifier: Connection] = [:]

    init(listenFD: Int32, queue: DispatchQueue, handler: RequestHandler, users: any UserDatabase,
         fairshareGID: UInt32, limits: Limits = Limits()) {
        self.listenFD = listenFD
        self.queue = queue
        self.handler = handler
        self.users = users
        self.fairshareGID = fairshareGID
        self.limits = limits
    }

    var connectionCount: Int { connections.count }

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

    private func acceptPending() {
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
            let connection = Connection(fd: fd, caller: identify(credentials, socket: fd), queue: queue, idleTimeout: limits.idleTimeout)
            connection.onClose = { [weak self] c in self?.connections[ObjectIdentifier(c)] = nil }
            connection.onLine = { [weak self] c, line in self?.received(line, on: c) }
            connections[ObjectIdentifier(connection)] = connection
            connection.start()
            if connections.count > limits.maxConnections {
                connection.fail(.unavailable, "too many connections (limit \(limits.maxConnections)); try again")
            } else if connection.caller.role == .outsider {
                connection.fail(.notInFairshareGroup(connection.caller.userName))
            }
        }
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

    private func received(_ line: [UInt8], on connection: Connection) {
        let request: ClientRequest
        do {
            request = try ClientRequest.decode(try JSON.parse(line))
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
        handler.handle(request, from: connection.caller) { [weak connection] reply in
            connection?.reply(reply)
        }
    }
}
