import CSystemd
import FairshareCore

/// An owned `sd_bus_message`, with typed append and read. Every sd-bus
/// return code is checked here, in one place.
public final class BusMessage {
    let raw: OpaquePointer

    init(owning raw: OpaquePointer) { self.raw = raw }
    deinit { sd_bus_message_unref(raw) }

    private func check(_ function: String, _ rc: Int32) throws(BusError) {
        if rc < 0 { throw BusError.call(function, rc) }
    }

    // MARK: append

    public func append(_ s: String) throws(BusError) {
        try check("sd_bus_message_append_basic", s.withCString { sd_bus_message_append_basic(raw, CChar(UInt8(ascii: "s")), $0) })
    }

    public func appendObjectPath(_ s: String) throws(BusError) {
        try check("sd_bus_message_append_basic", s.withCString { sd_bus_message_append_basic(raw, CChar(UInt8(ascii: "o")), $0) })
    }

    public func append(_ v: UInt64) throws(BusError) {
        var v = v
        try check("sd_bus_message_append_basic", sd_bus_message_append_basic(raw, CChar(UInt8(ascii: "t")), &v))
    }

    public func append(_ v: UInt32) throws(BusError) {
        var v = v
        try check("sd_bus_message_append_basic", sd_bus_message_append_basic(raw, CChar(UInt8(ascii: "u")), &v))
    }

    public func append(_ v: Int32) throws(BusError) {
        var v = v
        try check("sd_bus_message_append_basic", sd_bus_message_append_basic(raw, CChar(UInt8(ascii: "i")), &v))
    }

    /// A Unix file descriptor (`h`): sd-bus sends a duplicate of it.
    public func append(fileDescriptor fd: Int32) throws(BusError) {
        var fd = fd
        try check("sd_bus_message_append_basic", sd_bus_message_append_basic(raw, CChar(UInt8(ascii: "h")), &fd))
    }

    public func append(_ v: Bool) throws(BusError) {
        var b: Int32 = v ? 1 : 0
        try check("sd_bus_message_append_basic", sd_bus_message_append_basic(raw, CChar(UInt8(ascii: "b")), &b))
    }

    public func open(_ type: Character, _ contents: String) throws(BusError) {
        try check("sd_bus_message_open_container",
                  contents.withCString { sd_bus_message_open_container(raw, CChar(type.asciiValue!), $0) })
    }

    public func close() throws(BusError) {
        try check("sd_bus_message_close_container", sd_bus_message_close_container(raw))
    }

    /// `a(sv)`: unit properties as systemd's StartTransientUnit and
    /// SetUnitProperties take them.
    public func append(properties: [UnitProperty]) throws(BusError) {
        try open("a", "(sv)")
        for p in properties {
            try open("r", "sv")
            try append(p.name)
            try open("v", p.signature)
            switch p.value {
            case .text(let t): try append(t.string)
            case .path(let path): try append(path.string)
            case .unit(let unit): try append(unit.string)
            case .uint64(let v): try append(v)
            case .bool(let b): try append(b)
            case .uint32Array(let a):
                try open("a", "u")
                for v in a { try append(v) }
                try close()
            case .fileDescriptors(let fds):
                try open("a", "h")
                for fd in fds { try append(fileDescriptor: fd) }
                try close()
            case .deviceLimits(let pairs):
                try open("a", "(st)")
                for pair in pairs {
                    try open("r", "st")
                    try append(pair.device.string)
                    try append(pair.value)
                    try close()
                }
                try close()
            case .deviceAccess(let pairs):
                try open("a", "(ss)")
                for pair in pairs {
                    try open("r", "ss")
                    try append(pair.device.string)
                    try append(pair.access.string)
                    try close()
                }
                try close()
            case .texts(let texts):
                try open("a", "s")
                for t in texts { try append(t.string) }
                try close()
            case .command(let path, let argv):
                try open("a", "(sasb)")
                try open("r", "sasb")
                try append(path.string)
                try open("a", "s")
                for a in argv { try append(a.string) }
                try close()
                try append(false)
                try close()
                try close()
            }
            try close()
            try close()
        }
        try close()
    }

    // MARK: read

    /// Reads a string-like value (`s`, `o` or `g`); nil at the end of a container.
    public func readString(_ type: Character = "s") throws(BusError) -> String? {
        var p: UnsafePointer<CChar>?
        let rc = withUnsafeMutablePointer(to: &p) { sd_bus_message_read_basic(raw, CChar(type.asciiValue!), $0) }
        try check("sd_bus_message_read_basic", rc)
        guard rc > 0, let p else { return nil }
        return String(cString: p)
    }

    public func readUInt64() throws(BusError) -> UInt64? {
        var v: UInt64 = 0
        let rc = sd_bus_message_read_basic(raw, CChar(UInt8(ascii: "t")), &v)
        try check("sd_bus_message_read_basic", rc)
        return rc > 0 ? v : nil
    }

    public func readInt32() throws(BusError) -> Int32? {
        var v: Int32 = 0
        let rc = sd_bus_message_read_basic(raw, CChar(UInt8(ascii: "i")), &v)
        try check("sd_bus_message_read_basic", rc)
        return rc > 0 ? v : nil
    }

    public func readUInt32() throws(BusError) -> UInt32? {
        var v: UInt32 = 0
        let rc = sd_bus_message_read_basic(raw, CChar(UInt8(ascii: "u")), &v)
        try check("sd_bus_message_read_basic", rc)
        return rc > 0 ? v : nil
    }

    /// Enters a container; false at the end of the enclosing one.
    public func enter(_ type: Character, _ contents: String) throws(BusError) -> Bool {
        let rc = contents.withCString { sd_bus_message_enter_container(raw, CChar(type.asciiValue!), $0) }
        try check("sd_bus_message_enter_container", rc)
        return rc > 0
    }

    public func exit() throws(BusError) {
        try check("sd_bus_message_exit_container", sd_bus_message_exit_container(raw))
    }

    public func skip(_ signature: String) throws(BusError) {
        try check("sd_bus_message_skip", signature.withCString { sd_bus_message_skip(raw, $0) })
    }

    public func rewind() throws(BusError) {
        try check("sd_bus_message_rewind", sd_bus_message_rewind(raw, 1))
    }

    public var member: String? { sd_bus_message_get_member(raw).map { String(cString: $0) } }

    /// The object path a signal came from.
    public var path: String? { sd_bus_message_get_path(raw).map { String(cString: $0) } }
}
