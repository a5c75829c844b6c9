import FairshareCore
#if canImport(Glibc)
import Glibc
#endif

/// Reads a `MachineSnapshot` over one connection, as a reader: `status`
/// (the pool), every page of `list` and of everyone's `jobs`, and
/// `metrics` (left out when the daemon is older than it). What
/// `fairshare top` and `fairshare-web` show.
public enum MachineReader {
    /// Why a snapshot could not be read: the message the client would print.
    public struct Failure: Error, CustomStringConvertible {
        public var message: String
        public var status: Int32
        public var description: String { message }
    }

    public static func snapshot(socketPath: String) throws(Failure) -> MachineSnapshot {
        do throws(ClientFailure) {
            let daemon = try DaemonClient.connect(socketPath)
            defer { daemon.close() }
            let status = try daemon.call(.status, as: StatusReply.self, notices: false)
            var logins: [LoginRow] = []
            var list: AllocationListPage = try daemon.everyPage({ .list(after: $0) }, each: { logins += $0.logins })
            list.logins = logins
            let jobs: JobsPage = try daemon.everyPage { .jobs(all: true, after: $0) }
            var metrics: DaemonMetricsReply?
            do {
                metrics = try daemon.call(.metrics, as: DaemonMetricsReply.self, notices: false)
            } catch let e where e.status == ExitStatus.protocolError {
                metrics = nil  // a daemon from before `metrics`
            }
            return MachineSnapshot(takenUsec: wallClockUsec(), system: status.system, available: status.available,
                                   allocations: list.allocations, logins: list.logins, jobs: jobs.jobs, daemon: metrics)
        } catch {
            throw Failure(message: error.message, status: error.status)
        }
    }

    /// Wall-clock µs since the epoch.
    public static func wallClockUsec() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
    }

    /// "2026-12-01 14:05": a time as the client's commands print it.
    public static func clock(_ epoch: UInt64) -> String { Rendering.time(epoch) }
}
