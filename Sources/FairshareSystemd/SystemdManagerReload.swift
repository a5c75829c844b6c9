import Dispatch
import FairshareCore

extension SystemdManager {
    /// `Reload()` (`systemctl daemon-reload`), asynchronous: systemd
    /// answers once it has re-read every unit file and drop-in, and
    /// re-applied the cgroup settings of the units that run. The caller's
    /// queue never waits on it.
    public func reloadConfiguration(completion: @escaping (Result<Void, BusError>) -> Void) {
        let m: BusMessage
        do {
            m = try bus.methodCall(destination: Self.service, path: Self.path, interface: Self.interface, member: "Reload")
        } catch {
            return completion(.failure(error))
        }
        bus.callAsync(m, timeoutUSec: 90_000_000) { completion($0.map { _ in () }) }
    }
}
