import FairshareCLI
import FairshareCore
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// The latest snapshot and what is rendered from it, kept fresh by one
/// reading thread: while pages are asked for (until `warmSeconds` after
/// the last), it reads the daemon every `refreshSeconds`, so a scrape is
/// answered from memory and is at most `refreshSeconds` plus one reading
/// old (documented: at most 5 s). When idle it stops reading; the first
/// request after that waits for one reading.
final class SnapshotCache: Sendable {
    static let refreshSeconds: UInt64 = 2
    static let warmSeconds: UInt64 = 300

    /// One snapshot and its renderings, made once per reading.
    struct Rendered: Sendable {
        var snapshot: MachineSnapshot
        var rates: [UInt32: Double]
        var metrics: [UInt8]
    }

    private struct State {
        var current: Rendered?
        var error: MachineReader.Failure?
        var lastAsked: UInt64 = 0
        var reading = false
        var waiters: [@Sendable (Result<Rendered, MachineReader.Failure>) -> Void] = []
    }

    let socketPath: String
    let version: String
    private let state = NIOLockedValueBox(State())

    init(socketPath: String, version: String) {
        self.socketPath = socketPath
        self.version = version
    }

    /// Calls `done` with a snapshot no older than `refreshSeconds` plus a
    /// reading, at once when there is one, else after the next reading
    /// (on the reading thread).
    func latest(_ done: @escaping @Sendable (Result<Rendered, MachineReader.Failure>) -> Void) {
        let now = Self.monotonicSeconds()
        let (ready, start) = state.withLockedValue { s -> (Rendered?, Bool) in
            s.lastAsked = now
            if let current = s.current, MachineReader.wallClockUsec() / 1_000_000 <= current.snapshot.takenSeconds + 5 {
                let start = !s.reading
                s.reading = true
                return (current, start)
            }
            s.waiters.append(done)
            let start = !s.reading
            s.reading = true
            return (nil, start)
        }
        if start { startReading() }
        if let ready { done(.success(ready)) }
    }

    private func startReading() {
        let thread = ReadingThread { [self] in readWhileWatched() }
        thread.start()
    }

    /// The reading loop: one reading, then one every `refreshSeconds`
    /// while someone asked within `warmSeconds`.
    private func readWhileWatched() {
        while true {
            let result = readOnce()
            let (waiters, goOn) = state.withLockedValue { s -> ([@Sendable (Result<Rendered, MachineReader.Failure>) -> Void], Bool) in
                switch result {
                case .success(let r): s.current = r; s.error = nil
                case .failure(let e): s.error = e
                }
                let w = s.waiters
                s.waiters = []
                let goOn = Self.monotonicSeconds() < s.lastAsked + Self.warmSeconds
                if !goOn { s.reading = false }
                return (w, goOn)
            }
            for w in waiters { w(result) }
            guard goOn else { return }
            sleep(UInt32(Self.refreshSeconds))
        }
    }

    private func readOnce() -> Result<Rendered, MachineReader.Failure> {
        do {
            let snapshot = try MachineReader.snapshot(socketPath: socketPath)
            let previous = state.withLockedValue { $0.current?.snapshot }
            let rates = CPURates.between(previous, snapshot)
            return .success(Rendered(snapshot: snapshot, rates: rates,
                                     metrics: Array(PrometheusExposition.render(snapshot, version: version).utf8)))
        } catch {
            return .failure(error)
        }
    }

    static func monotonicSeconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec)
    }
}
