/// Which program a multi-call binary is, by the name it was invoked as.
public enum AppletName: Equatable, Sendable {
    case client
    case daemon
    /// `fairshare-web`: the read-only HTTP view (dashboard, metrics, API).
    case web
    /// `fairshare-remote`: the gRPC gateway for remote jobs (mutual TLS).
    case remote
    case unknown(String)

    /// The basename of `argv0`, with a login shell's leading `-` dropped.
    public static func basename(of argv0: String) -> String {
        var name = Substring(argv0)
        if let slash = name.lastIndex(of: "/") { name = name[name.index(after: slash)...] }
        if name.hasPrefix("-") { name = name.dropFirst() }
        return String(name)
    }

    public static func named(_ argv0: String) -> AppletName {
        switch basename(of: argv0) {
        case "fairshare": .client
        case "fairshared": .daemon
        case "fairshare-web": .web
        case "fairshare-remote": .remote
        case let other: .unknown(other)
        }
    }
}
