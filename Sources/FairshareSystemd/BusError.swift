import CSystemd

/// A failed D-Bus call: the error name systemd sent (or the sd-bus function
/// that failed), its message, and the errno.
public struct BusError: Error, Equatable, Sendable, CustomStringConvertible {
    public var name: String
    public var message: String
    public var errno: Int32

    public init(name: String, message: String, errno: Int32) {
        self.name = name
        self.message = message
        self.errno = errno
    }

    /// From an sd-bus return code (negative errno) of `function`.
    static func call(_ function: String, _ rc: Int32) -> BusError {
        BusError(name: "System.Error.\(function)", message: "\(function) failed: \(String(cString: strerror(-rc)))", errno: -rc)
    }

    /// From a filled `sd_bus_error`.
    static func from(_ error: inout sd_bus_error, rc: Int32) -> BusError {
        let name = error.name.map { String(cString: $0) } ?? "System.Error"
        let message = error.message.map { String(cString: $0) } ?? String(cString: strerror(-rc))
        return BusError(name: name, message: message, errno: -rc)
    }

    public var isUnitExists: Bool { name == "org.freedesktop.systemd1.UnitExists" }
    public var isNoSuchUnit: Bool { name == "org.freedesktop.systemd1.NoSuchUnit" || name == "org.freedesktop.systemd1.LoadFailed" }

    public var description: String { "\(message) [\(name)]" }
}

#if canImport(Glibc)
import Glibc
#endif
