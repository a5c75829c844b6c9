import CSystemd
import CSystemdLoader
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// An sd-bus connection. sd-bus is not thread-safe: a connection belongs to
/// one serial queue and is only used there (hence `@unchecked Sendable`).
/// `attach(to:)` makes the queue process the bus whenever it is readable,
/// writable (while sd-bus has output queued) or one of its timeouts is
/// due, so `callAsync` completions and signals arrive without anyone
/// waiting; `call` remains for quick reads (properties).
public final class BusConnection: @unchecked Sendable {
    let bus: OpaquePointer
    private var source: DispatchSourceRead?
    private var writeSource: DispatchSourceWrite?
    private var writeSourceActive = false
    private var timer: DispatchSourceTimer?
    /// Called once when the connection is found closed (the bus went away).
    public var onClose: (() -> Void)?
    /// The queue that owns the connection once `attach(to:)` was called:
    /// from then on every use from elsewhere stops the program at once
    /// rather than corrupting sd-bus's state.
    private var owner: DispatchQueue?

    /// Stops the program if the connection is used off its queue.
    private func checkOwner() {
        if let owner { dispatchPrecondition(condition: .onQueue(owner)) }
    }
    private var closeReported = false

    private init(bus: OpaquePointer) { self.bus = bus }

    deinit {
        source?.cancel()
        timer?.cancel()
        if let writeSource {
            if !writeSourceActive { writeSource.resume() }
            writeSource.cancel()
        }
        sd_bus_flush_close_unref(bus)
    }

    /// The system bus (`$DBUS_SYSTEM_BUS_ADDRESS` or the default socket).
    public static func system() throws(BusError) -> BusConnection {
        var loadError: UnsafePointer<CChar>?
        if fs_systemd_load(&loadError) < 0 {
            throw BusError(name: "", message: "cannot load libsystemd: \(loadError.map { String(cString: $0) } ?? "?") (install libsystemd0)",
                           errno: ELIBACC)
        }
        var bus: OpaquePointer?
        let rc = sd_bus_open_system(&bus)
        guard rc >= 0, let bus else { throw BusError.call("sd_bus_open_system", rc) }
        return BusConnection(bus: bus)
    }

    public func methodCall(destination: String, path: String, interface: String, member: String) throws(BusError) -> BusMessage {
        checkOwner()
        var m: OpaquePointer?
        let rc = sd_bus_message_new_method_call(bus, &m, destination, path, interface, member)
        guard rc >= 0, let m else { throw BusError.call("sd_bus_message_new_method_call", rc) }
        return BusMessage(owning: m)
    }

    /// Sends `message` and waits for the reply; D-Bus errors become
    /// `BusError`s with their name.
    public func call(_ message: BusMessage, timeoutUSec: UInt64 = 25_000_000) throws(BusError) -> BusMessage {
        checkOwner()
        var error = sd_bus_error()
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer?
        let rc = sd_bus_call(bus, message.raw, timeoutUSec, &error, &reply)
        guard rc >= 0, let reply else { throw BusError.from(&error, rc: rc) }
        return BusMessage(owning: reply)
    }

    /// Sends `message` and returns at once; `completion` gets the reply
    /// (or the D-Bus error) on the attached queue. sd-bus fails the call
    /// itself after `timeoutUSec`, and when the connection closes.
    public func callAsync(_ message: BusMessage, timeoutUSec: UInt64 = 25_000_000,
                          completion: @escaping (Result<BusMessage, BusError>) -> Void) {
        checkOwner()
        let box = Unmanaged.passRetained(PendingCall(completion))
        let rc = sd_bus_call_async(bus, nil, message.raw, { m, userdata, _ in
            guard let userdata else { return 0 }
            let pending = Unmanaged<PendingCall>.fromOpaque(userdata).takeRetainedValue()
            guard let m else {
                pending.completion(.failure(BusError(name: "System.Error.NoReply", message: "no reply", errno: EIO)))
                return 0
            }
            if let error = sd_bus_message_get_error(m), error.pointee.name != nil {
                var copy = error.pointee
                pending.completion(.failure(BusError.from(&copy, rc: -sd_bus_message_get_errno(m))))
            } else {
                sd_bus_message_ref(m)
                pending.completion(.success(BusMessage(owning: m)))
            }
            return 0
        }, box.toOpaque(), timeoutUSec)
        guard rc >= 0 else {
            box.release()
            completion(.failure(BusError.call("sd_bus_call_async", rc)))
            return
        }
        rearm()
    }

    /// Dispatches everything queued (replies and signals to their handlers).
    public func processPending() throws(BusError) {
        defer { rearm() }
        while true {
            let rc = sd_bus_process(bus, nil)
            if rc < 0 {
                reportCloseIfClosed()
                throw BusError.call("sd_bus_process", rc)
            }
            if rc == 0 {
                reportCloseIfClosed()
                return
            }
        }
    }

    /// Whether the connection is still open.
    public var isOpen: Bool { sd_bus_is_open(bus) > 0 }

    private func reportCloseIfClosed() {
        guard !closeReported, !isOpen else { return }
        closeReported = true
        source?.cancel()
        onClose?()
    }

    /// Matches the write source and the timer to what sd-bus waits for now.
    private func rearm() {
        if let writeSource {
            let wantsOutput = (sd_bus_get_events(bus) & Int32(POLLOUT)) != 0
            if wantsOutput && !writeSourceActive { writeSource.resume(); writeSourceActive = true }
            if !wantsOutput && writeSourceActive { writeSource.suspend(); writeSourceActive = false }
        }
        guard let timer else { return }
        var usec: UInt64 = 0
        // CLOCK_MONOTONIC µs at which sd-bus wants to run again, or UINT64_MAX.
        guard sd_bus_get_timeout(bus, &usec) >= 0, usec != .max else {
            timer.schedule(deadline: .distantFuture)
            return
        }
        let now = Monotonic.nowUSec()
        timer.schedule(deadline: .now() + .microseconds(Int(min(usec > now ? usec - now : 0, 3_600_000_000))))
    }

    /// Blocks until there is something to process or `timeoutUSec` passed.
    public func wait(timeoutUSec: UInt64) throws(BusError) {
        let rc = sd_bus_wait(bus, timeoutUSec)
        if rc < 0 && rc != -EINTR { throw BusError.call("sd_bus_wait", rc) }
    }

    /// Processes the bus on `queue` whenever its fd is readable, writable
    /// while output is queued, or an sd-bus timeout (a call's) is due.
    public func attach(to queue: DispatchQueue) {
        owner = queue
        let fd = sd_bus_get_fd(bus)
        guard fd >= 0 else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in try? self?.processPending() }
        self.source = source
        let writeSource = DispatchSource.makeWriteSource(fileDescriptor: fd, queue: queue)
        writeSource.setEventHandler { [weak self] in try? self?.processPending() }
        self.writeSource = writeSource
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler { [weak self] in try? self?.processPending() }
        timer.schedule(deadline: .distantFuture)
        self.timer = timer
        source.resume()
        timer.resume()
        rearm()
    }

    /// Subscribes `handler` to a signal; the match lives as long as the
    /// returned token.
    public func matchSignal(sender: String?, path: String?, interface: String?, member: String?,
                            handler: @escaping (BusMessage) -> Void) throws(BusError) -> SignalMatch {
        try subscribe("sd_bus_match_signal", handler) { slot, callback, userdata in
            sd_bus_match_signal(bus, slot, sender, path, interface, member, callback, userdata)
        }
    }

    /// Subscribes `handler` to the messages a D-Bus match rule selects
    /// (for what `matchSignal` cannot say, such as `path_namespace=` and
    /// `arg0=`).
    public func addMatch(rule: String, handler: @escaping (BusMessage) -> Void) throws(BusError) -> SignalMatch {
        try subscribe("sd_bus_add_match", handler) { slot, callback, userdata in
            sd_bus_add_match(bus, slot, rule, callback, userdata)
        }
    }

    /// The one place a match is registered: `register` gets the slot to
    /// fill, the C callback and the match as userdata.
    private func subscribe(_ call: String, _ handler: @escaping (BusMessage) -> Void,
                           register: (UnsafeMutablePointer<OpaquePointer?>, sd_bus_message_handler_t, UnsafeMutableRawPointer) -> Int32)
        throws(BusError) -> SignalMatch {
        checkOwner()
        let match = SignalMatch(handler: handler)
        var slot: OpaquePointer?
        let rc = register(&slot, { m, userdata, _ in
            guard let m, let userdata else { return 0 }
            let match = Unmanaged<SignalMatch>.fromOpaque(userdata).takeUnretainedValue()
            sd_bus_message_ref(m)
            match.handler(BusMessage(owning: m))
            return 0
        }, Unmanaged.passUnretained(match).toOpaque())
        guard rc >= 0 else { throw BusError.call(call, rc) }
        match.slot = slot
        return match
    }
}

/// A method call in flight: its completion, kept alive by sd-bus's userdata.
final class PendingCall {
    let completion: (Result<BusMessage, BusError>) -> Void
    init(_ completion: @escaping (Result<BusMessage, BusError>) -> Void) { self.completion = completion }
}

/// A signal subscription; dropping it removes the match.
public final class SignalMatch {
    let handler: (BusMessage) -> Void
    var slot: OpaquePointer?

    init(handler: @escaping (BusMessage) -> Void) { self.handler = handler }
    deinit { if let slot { sd_bus_slot_unref(slot) } }
}
