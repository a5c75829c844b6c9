import FairshareCore
import FairshareSystemd

/// `LiveSliceSettling` against systemd: for each running login slice whose
/// drop-in changed, an empty child slice started and stopped at once, so
/// that systemd writes the login slice's re-read settings into its cgroup
/// (systemd 257 no longer does at `daemon-reload`; on 252 this rewrites the
/// same values). Runs on the daemon's queue.
extension SystemdSliceController {
    func settleLoginSlices(_ changed: Set<UInt32>, completion: @escaping ([UInt32], [String]) -> Void) {
        manager.listUnitsAsync(states: ["active"], patterns: ["user-*.slice"]) { [self] listed in
            switch listed {
            case .failure(let error):
                completion([], ["cannot list the running login slices to settle their settings: \(error)"])
            case .success(let units):
                settle(changed, running: Set(units.compactMap { LoginDropIn.uid(ofSlice: $0.name) }), completion: completion)
            }
        }
    }

    private func settle(_ changed: Set<UInt32>, running: Set<UInt32>, completion: @escaping ([UInt32], [String]) -> Void) {
        let uids = LiveSliceSettling.uids(changed: changed, running: running)
        guard !uids.isEmpty else { return completion([], []) }
        var left = uids.count
        var failures: [String] = []
        for uid in uids {
            let slice = UnitNames.settleSlice(uid: uid)
            let description = UnitText(replacingControlCharactersIn: "fairshare: settle the login cap of uid \(uid)")
            manager.startTransientUnit(slice.string, properties: [UnitProperty("Description", .text(description))]) { [manager] result in
                if case .failure(let e) = result, !e.isUnitExists {
                    failures.append("systemd did not write the re-read settings of \(UnitNames.loginSlice(uid: uid)) into its cgroup: \(e)")
                }
                manager.stopUnit(slice.string) { _ in
                    left -= 1
                    if left == 0 { completion(uids, failures) }
                }
            }
        }
    }
}
