import FairshareCore
import FairshareSystemd

/// `StartTransientUnit` of a scope with `Slice=user-UID.slice` and
/// `PIDs=`: systemd moves the processes (in every cgroup hierarchy) and
/// pulls the slice in, and with it the drop-in that holds the login cap.
/// By pid, not pidfd: the sweep checks each process's start time right
/// before and after (fairshare-policy(5), STRAYS).
extension SystemdSliceController: StrayMover {
    func adopt(_ pids: [Int32], into scope: UnitName, slice: UnitName, description: UnitText,
               completion: @escaping (Result<Void, ControllerError>) -> Void) {
        let props = [
            UnitProperty("Description", .text(description)),
            UnitProperty("Slice", .unit(slice)),
            UnitProperty("PIDs", .uint32Array(pids.map { UInt32(bitPattern: $0) })),
            UnitProperty("CollectMode", .text("inactive-or-failed")),
            UnitProperty("TimeoutStopUSec", .uint64(Self.scopeStopTimeoutUSec)),
        ]
        let toController = { (r: Result<Void, BusError>) in r.mapError { ControllerError($0.message, busErrorName: $0.name) } }
        manager.startTransientUnit(scope.string, properties: props) { [manager] result in
            guard case .failure(let e) = result, e.isUnitExists else { return completion(toController(result)) }
            // A failed scope of a recycled pid: clear it and try once more.
            manager.resetFailedUnit(scope.string) { _ in
                manager.startTransientUnit(scope.string, properties: props) { completion(toController($0)) }
            }
        }
    }
}
