import Dispatch
import FairshareCore
import FairshareSystem
#if canImport(Glibc)
import Glibc
#endif

/// One client connection: reads lines, hands each to `onLine` one at a
/// time (a request in flight blocks the next), writes replies without
/// blocking the queue. Confined to the daemon queue.
///
/// The fd has exactly one Dispatch source, the read source, and is closed
/// in that source's cancel handler, so it is never reused while registered.
/// Replies that do not fit the socket buffer are retried by a timer, which
/// backs off while the client reads nothing.
///
/// Backpressure: once more than `replyBuffer` bytes of replies wait unsent,
/// the connection is not read and no queued line is handed out until the
/// client has read them down to half of it; a connection that stays so
/// for `idleTimeout` without the client taking a byte is closed
/// (`onStalled`). Its memory is bounded by `replyBuffer`, one reply and
/// the queued lines.
final class Connection {
    /// Lines a connection holds ahead of the request in flight; past them
    /// it is not read until one is taken.
    static let maxQueuedLines = 8

    let fd: Int32
    let caller: Caller
    private let queue: DispatchQueue
    private var framer = LineFramer()
    private var readSource: DispatchSourceRead?
    private var readSuspended = false
    private var retryTimer: DispatchSourceTimer?
    /// One timer for the connection's life: it fires when the connection
    /// may have been idle long enough and re-arms itself if it was not, so
    /// a request costs a clock read, not a new timer.
    private var idleTimer: DispatchSourceTimer?
    private let idleTimeout: DispatchTimeInterval
    private let replyBuffer: Int
    private var lastActivity = DispatchTime.now()
    /// More than `replyBuffer` bytes unsent (until below half of it).
    private(set) var isBackpressured = false
    /// Reading has ended for good: the peer hung up, or the connection failed.
    private var readingEnded = false
    /// Since when the client has taken no byte while backpressured.
    private var stalledSince = DispatchTime.now()
    private var retryDelay = Connection.firstRetryDelay
    /// Replies not yet written, oldest first, each as it was made (no
    /// buffer that grows by doubling); `outgoingOffset` bytes of the first
    /// are written already.
    private var outgoing: [[UInt8]] = []
    private var outgoingOffset = 0
    /// Reply bytes not yet taken by the socket.
    private(set) var unsentBytes = 0
    private var queued: [[UInt8]] = []
    private var inFlight = false
    private var closeWhenFlushed = false
    private var peerClosed = false
    private(set) var isClosed = false

    var onLine: ((Connection, [UInt8]) -> Void)?
    var onClose: ((Connection) -> Void)?
    /// Called before a connection is closed for reading no replies.
    var onStalled: ((Connection) -> Void)?

    /// The write retry: 5 ms, doubled while nothing is taken, at most 160 ms.
    static let firstRetryDelay = 5
    static let lastRetryDelay = 160

    init(fd: Int32, caller: Caller, queue: DispatchQueue, idleTimeout: DispatchTimeInterval,
         replyBuffer: Int = DaemonLimits.builtin.replyBuffer) {
        self.fd = fd
        self.caller = caller
        self.queue = queue
        self.idleTimeout = idleTimeout
        self.replyBuffer = replyBuffer
    }

    func start() {
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in self?.readAvailable() }
        let fd = self.fd
        source.setCancelHandler { _ = Glibc.close(fd) }
        readSource = source
        source.resume()
        startIdleTimer()
    }

    /// Reads what the peer has sent already, without waiting for the read
    /// source's first event (a client sends its request as soon as it is
    /// connected): that event costs a wake-up of libdispatch's manager
    /// thread, which registers the source, and then of a worker thread.
    func readNow() {
        guard !isClosed, !readSuspended else { return }
        readAvailable()
    }

    /// Sends a reply; the next queued line (if any) is handed out after it.
    func reply(_ reply: Reply) {
        guard !isClosed else { return }
        inFlight = false
        send(reply.lineBytes)
        lastActivity = DispatchTime.now()
        if peerClosed && queued.isEmpty { closeWhenFlushed = true; flushOrClose() ; return }
        deliverNext()
    }

    /// Sends a final error reply and closes once it is written.
    func fail(_ code: ErrorCode, _ message: String) {
        fail(ReplyError(code: code, message: message))
    }

    func fail(_ error: ReplyError) {
        guard !isClosed else { return }
        stopReading()
        queued.removeAll()
        send(Reply.failure(error).lineBytes)
        closeWhenFlushed = true
        flushOrClose()
    }

    private var readBuffer = [UInt8](repeating: 0, count: 16384)

    private func readAvailable() {
        while !isClosed && !isBackpressured && !readingEnded && !isFull {
            let n = readBuffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if n > 0 {
                for event in framer.feed(readBuffer[0..<n]) {
                    switch event {
                    case .line(let line):
                        // A full queue stops reading (below); what one read
                        // brought in (at most the buffer's 16K) is kept.
                        queued.append(line)
                    case .overflow:
                        fail(.lineTooLong, "request line longer than \(WireProtocol.maxLineBytes) bytes")
                        return
                    }
                }
                deliverNext()
                if isFull { updateReadSource() }
                if n < readBuffer.count { return }
                continue
            }
            if n == 0 {
                peerClosed = true
                stopReading()
                if !inFlight && queued.isEmpty { close() }
                return
            }
            let e = currentErrnoValue()
            if e == EAGAIN || e == EWOULDBLOCK { return }
            if e == EINTR { continue }
            close()
            return
        }
    }

    /// Lines a client may have waiting: past it the connection is not read
    /// until the daemon has taken some (a pipelining client just waits).
    private var isFull: Bool { queued.count >= Self.maxQueuedLines }

    private func deliverNext() {
        guard !inFlight, !isClosed, !isBackpressured, !queued.isEmpty else { return }
        inFlight = true
        let line = queued.removeFirst()
        if readSuspended && !isFull { updateReadSource() }
        onLine?(self, line)
    }

    private func send(_ bytes: [UInt8]) {
        outgoing.append(bytes)
        unsentBytes += bytes.count
        flushOrClose()
    }

    private func flushOrClose() {
        while let first = outgoing.first {
            let offset = outgoingOffset
            let n = first.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n > 0 {
                unsentBytes -= n
                outgoingOffset += n
                if outgoingOffset == first.count {
                    outgoing.removeFirst()
                    outgoingOffset = 0
                }
                stalledSince = DispatchTime.now()
                retryDelay = Self.firstRetryDelay
                continue
            }
            let e = currentErrnoValue()
            if n < 0 && e == EINTR { continue }
            if n < 0 && (e == EAGAIN || e == EWOULDBLOCK) {
                updateBackpressure()
                retryWriteSoon()
                return
            }
            close()
            return
        }
        updateBackpressure()
        if closeWhenFlushed { close() }
    }

    /// Above `replyBuffer` unsent bytes: stop; below half of it: go on.
    private func updateBackpressure() {
        if !isBackpressured && unsentBytes > replyBuffer {
            isBackpressured = true
            stalledSince = DispatchTime.now()
            updateReadSource()
        } else if isBackpressured && unsentBytes < replyBuffer / 2 {
            isBackpressured = false
            lastActivity = DispatchTime.now()
            updateReadSource()
            guard !isClosed, !closeWhenFlushed else { return }
            // Lines queued meanwhile; the read source fires for the rest.
            deliverNext()
        }
    }

    private func retryWriteSoon() {
        guard retryTimer == nil else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .milliseconds(retryDelay))
        retryDelay = min(retryDelay * 2, Self.lastRetryDelay)
        timer.setEventHandler { [weak self] in
            self?.retryTimer = nil
            self?.flushOrClose()
        }
        retryTimer = timer
        timer.resume()
    }

    /// Stops read events for good without giving up the fd (it is still
    /// written to).
    private func stopReading() {
        readingEnded = true
        updateReadSource()
    }

    /// The read source runs unless reading ended or backpressure holds it.
    private func updateReadSource() {
        guard let source = readSource else { return }
        let suspend = readingEnded || isBackpressured || isFull
        if suspend && !readSuspended {
            source.suspend()
            readSuspended = true
        } else if !suspend && readSuspended {
            source.resume()
            readSuspended = false
        }
    }

    private func startIdleTimer() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + idleTimeout)
        timer.setEventHandler { [weak self] in self?.idleTimerFired() }
        idleTimer = timer
        timer.resume()
    }

    /// Closes the connection if nothing happened for `idleTimeout` and no
    /// request is in flight; otherwise waits until it could be.
    private func idleTimerFired() {
        if closeWhenFlushed {
            // Its last reply was never read: nothing more to say.
            close()
            return
        }
        if isBackpressured {
            let due = stalledSince + idleTimeout
            guard DispatchTime.now() >= due else {
                idleTimer?.schedule(deadline: due)
                return
            }
            onStalled?(self)
            close()
            return
        }
        let due = lastActivity + idleTimeout
        if inFlight || DispatchTime.now() < due {
            idleTimer?.schedule(deadline: inFlight ? .now() + idleTimeout : due)
            return
        }
        fail(.unavailable, "connection idle for too long; closing")
        // If that last reply is never read, the next firing closes.
        idleTimer?.schedule(deadline: .now() + idleTimeout)
    }

    func close() {
        guard !isClosed else { return }
        isClosed = true
        idleTimer?.cancel()
        retryTimer?.cancel()
        idleTimer = nil
        retryTimer = nil
        if let source = readSource {
            source.cancel()
            if readSuspended { source.resume() }
            readSource = nil
        }
        onClose?(self)
    }
}

func currentErrnoValue() -> Int32 { errno }
