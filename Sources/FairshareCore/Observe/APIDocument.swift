/// `GET /api/v1/…`: the snapshot as JSON, in the daemon's own reply
/// shapes (fairshare-web(8) documents them). Version 1: fields are only
/// ever added.
public enum APIDocument {
    public static let version = 1

    /// The paths it answers, and what each holds.
    public static let paths = ["/api/v1/status", "/api/v1/allocations", "/api/v1/jobs", "/api/v1/daemon"]

    /// The document at `path`, nil for an unknown one.
    public static func render(_ path: String, _ s: MachineSnapshot, rates: [UInt32: Double]) -> JSON? {
        switch path {
        case "/api/v1/status", "/api/v1", "/api/v1/":
            return ["api": .uint(UInt64(version)), "taken": .number(Double(s.takenUsec) / 1e6), "system": s.system.json,
                    "available": s.available.json, "allocations": .uint(UInt64(s.allocations.count)),
                    "jobs": .object(JSONObject(s.jobsByState.map { ($0.state.rawValue, JSON.uint(UInt64($0.count))) })),
                    "paths": .array(paths.map(JSON.string))]
        case "/api/v1/allocations":
            let rows: [JSON] = s.allocations.map { row in
                guard case .object(var o) = row.json else { return row.json }
                o["cpu_used"] = .orNull(rates[row.uid], JSON.number)
                return .object(o)
            }
            return ["taken": .number(Double(s.takenUsec) / 1e6), "allocations": .array(rows), "logins": .array(s.logins.map(\.json))]
        case "/api/v1/jobs":
            return ["taken": .number(Double(s.takenUsec) / 1e6), "jobs": .array(s.jobs.map(\.json))]
        case "/api/v1/daemon":
            return ["taken": .number(Double(s.takenUsec) / 1e6), "daemon": .orNull(s.daemon, \.json)]
        default:
            return nil
        }
    }
}
