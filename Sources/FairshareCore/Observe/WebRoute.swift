/// What `fairshare-web` answers a request with, decided without I/O: the
/// page, the metrics, an API document, or an error status. `/metrics` and
/// `/api/` need the bearer token when one is configured; the dashboard
/// (`/`) is open to whoever reaches the port, like `ps` on the machine.
public enum WebRoute: Equatable, Sendable {
    case dashboard
    case metrics
    case api(String)
    case health
    case status(Int, String)

    public static func resolve(method: String, uri: String, authorization: String?, token: String?) -> WebRoute {
        let path = String(uri.prefix { $0 != "?" && $0 != "#" })
        guard method == "GET" || method == "HEAD" else { return .status(405, "only GET and HEAD\n") }
        let protected = path == "/metrics" || path == "/api" || path.hasPrefix("/api/")
        if protected, let token, !authorized(authorization, token: token) {
            return .status(401, "a bearer token is needed: Authorization: Bearer TOKEN\n")
        }
        switch path {
        case "/", "/index.html": return .dashboard
        case "/metrics": return .metrics
        case "/healthz": return .health
        case let p where p == "/api" || p.hasPrefix("/api/"):
            return .api(p)
        default: return .status(404, "not found\n")
        }
    }

    /// `Bearer TOKEN`, compared in time independent of where they differ.
    public static func authorized(_ header: String?, token: String) -> Bool {
        guard let header, header.hasPrefix("Bearer ") else { return false }
        let given = Array(header.dropFirst("Bearer ".count).utf8)
        let wanted = Array(token.utf8)
        var difference = UInt8(given.count == wanted.count ? 0 : 1)
        for i in 0..<wanted.count { difference |= wanted[i] ^ (i < given.count ? given[i] : 0) }
        return difference == 0 && !wanted.isEmpty
    }
}
