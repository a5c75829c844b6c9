import CSystemd
import CSystemdLoader
import Dispatch
#if canImport(Glibc)
import Glibc
#endif

/// An sd-bus connection. sd-bus is not thread-safe: a connection belongs to
/// one serial queue and is only used there (hence `@unchecked Sendable`).
/// Calls are synchronous; `attach(to:)` makes the queue dispatch incoming
/// signals between calls.
public final class BusConnection: @unchecked Sendable {
    let bus: OpaquePointer
    private var source: DispatchSourceRead?

    private init(bus: OpaquePointer) { self.bus = bus }

    deinit {
        source?.cancel()
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
        var m: OpaquePointer?
        let rc = sd_bus_message_new_method_call(bus, &m, destination, path, interface, member)
        guard rc >= 0, let m else { throw BusError.call("sd_bus_message_new_method_call", rc) }
        return BusMessage(owning: m)
    }

    /// Sends `message` and waits for the reply; D-Bus errors become
    /// `BusError`s with their name.
    public func call(_ message: BusMessage, timeoutUSec: UInt64 = 25_000_000) throws(BusError) -> BusMessage {
        var error = sd_bus_error()
        defer { sd_bus_error_free(&error) }
        var reply: OpaquePointer?
        let rc = sd_bus_call(bus, message.raw, timeoutUSec, &error, &reply)
        guard rc >= 0, let reply else { throw BusError.from(&error, rc: rc) }
        return BusMessage(owning: reply)
    }

    /// Dispatches everything queued (signals to their matches).
    public func processPending() throws(BusError) {
        while true {
            let rc = sd_bus_process(bus, nil)
            if rc < 0 { throw BusError.call("sd_bus_process", rc) }
            if rc == 0 { return }
        }
    }

    /// Blocks until there is something to process or `timeoutUSec` passed.
    public func wait(timeoutUSec: UInt64) throws(BusError) {
        let rc = sd_bus_wait(bus, timeoutUSec)
        if rc < 0 && rc != -EINTR { throw BusError.call("sd_bus_wait", rc) }
    }

    /// Processes incoming messages whenever the bus fd is readable, on `queue`.
    public func attach(to queue: DispatchQueue) {
        let fd = sd_bus_get_fd(bus)
        guard fd >= 0 else { return }
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler { [weak self] in try? self?.processPending() }
        self.source = source
        source.resume()
    }

    /// Subscribes `handler` to a signal; the match lives as long as the
    /// returned token.
    public func matchSignal(sender: String?, path: String?, interface: String?, member: String?,
                            handler: @escaping (BusMessage) -> Void) throws(BusError) -> SignalMatch {
        let match = SignalMatch(handler: handler)
        let userdata = Unmanaged.passUnretained(match).toOpaque()
        var slot: OpaquePointer?
        let rc = sd_bus_match_signal(bus, &slot, sender, path, interface, member, { m, userdata, _ in
            guard let m, let userdata else { return 0 }
            let match = Unmanaged<SignalMatch>.fromOpaque(userdata).takeUnretainedValue()
            sd_bus_message_ref(m)
            match.handler(BusMessage(owning: m))
            return 0
        }, userdata)
        guard rc >= 0 else { throw BusError.call("sd_bus_match_signal", rc) }
        match.slot = slot
        return match
    }
}

/// A signal subscription; dropping it removes the match.
public final class SignalMatch {
    let handler: (BusMessage) -> Void
    var slot: OpaquePointer?

    init(handler: @escaping (BusMessage) -> Void) { self.handler = handler }
    deinit { if let slot { sd_bus_slot_unref(slot) } }
}
