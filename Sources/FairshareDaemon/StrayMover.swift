import FairshareCore

/// The one effect of `strays: adopt`, as a seam: the real one asks
/// systemd for a transient scope, tests use a fake. Completes on the
/// daemon's queue; the queue never waits for systemd.
public protocol StrayMover: AnyObject {
    /// Starts `scope` in `slice` (a login slice, `user-UID.slice`) holding
    /// `pids`, which leave the unit they were in.
    func adopt(_ pids: [Int32], into scope: UnitName, slice: UnitName, description: UnitText,
               completion: @escaping (Result<Void, ControllerError>) -> Void)
}
