#if canImport(Glibc)
import Glibc
#endif

/// Where fairshare-remote listens, as typed (`fairshare --remote`, and the
/// gateway's own `--listen`): `HOST:PORT` with HOST a DNS name, an IPv4
/// address or a bracketed IPv6 address. For a client the host is also what
/// the server's certificate must name (its subjectAltName).
public struct RemoteAddress: Equatable, Sendable, CustomStringConvertible {
    public enum Host: Equatable, Sendable {
        case name(String)
        case ipv4(String)
        /// Without the brackets.
        case ipv6(String)
    }

    public var host: Host
    public var port: Int

    /// What a malformed address is told to look like.
    public static let expectedForm = "HOST:PORT, where HOST is a name, an IPv4 address or an [IPv6] address in brackets and PORT is 1 to 65535"

    public init(host: Host, port: Int) {
        self.host = host
        self.port = port
    }

    /// Reads `HOST:PORT`; nil for anything else.
    public init?(parsing text: String) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else { return nil }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
            guard Self.isAddress(String(hostPart), family: AF_INET6) else { return nil }
            host = .ipv6(String(hostPart))
        } else {
            guard let colon = text.lastIndex(of: ":") else { return nil }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            // An IPv6 address must be bracketed: its colons would hide the port.
            guard !hostPart.contains(":") else { return nil }
            if Self.isAddress(String(hostPart), family: AF_INET) {
                host = .ipv4(String(hostPart))
            } else if Self.isHostName(hostPart) {
                host = .name(String(hostPart))
            } else {
                return nil
            }
        }
        guard !portPart.isEmpty, portPart.utf8.count <= 5, portPart.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }),
              let port = Int(portPart), (1...65535).contains(port) else { return nil }
        self.port = port
    }

    /// The host as a socket call takes it: an IPv6 address without brackets.
    public var bareHost: String {
        switch host {
        case .name(let h), .ipv4(let h), .ipv6(let h): h
        }
    }

    /// "host:port", "192.0.2.1:7443", "[2001:db8::1]:7443": as typed, for messages.
    public var description: String {
        switch host {
        case .name(let h), .ipv4(let h): "\(h):\(port)"
        case .ipv6(let h): "[\(h)]:\(port)"
        }
    }

    private static func isAddress(_ text: String, family: Int32) -> Bool {
        var buffer = [UInt8](repeating: 0, count: 16)
        return inet_pton(family, text, &buffer) == 1
    }

    /// Letters, digits, hyphens and dots; labels of 1 to 63 bytes, not
    /// starting or ending with a hyphen (RFC 1123); at most 253 bytes.
    private static func isHostName(_ text: Substring) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        // A trailing dot (fully qualified) is allowed.
        let named = labels.last == "" && labels.count > 1 ? labels.dropLast() : labels[...]
        return named.allSatisfy { label in
            guard (1...63).contains(label.utf8.count), label.first != "-", label.last != "-" else { return false }
            return label.utf8.allSatisfy { b in
                (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b == 0x2d
            }
        }
    }
}
