/// The client's exit codes (documented in fairshare(1)); sysexits(3) values
/// where one fits.
public enum ExitStatus {
    public static let success: Int32 = 0
    /// The daemon refused: policy, capacity, or nothing to act on.
    public static let refused: Int32 = 1
    /// Bad command line (swift-argument-parser's validation failures).
    public static let usage: Int32 = 64
    /// The daemon is not running or not reachable (EX_UNAVAILABLE).
    public static let unavailable: Int32 = 69
    /// The daemon or systemd failed (EX_SOFTWARE).
    public static let daemonFailure: Int32 = 70
    /// The daemon's answer made no sense (EX_PROTOCOL).
    public static let protocolError: Int32 = 76
    /// Not allowed: not in group `fairshare`, or not an admin (EX_NOPERM).
    public static let permissionDenied: Int32 = 77
    /// `exec`: the command exists but cannot be run.
    public static let cannotExecute: Int32 = 126
    /// `exec`: the command was not found.
    public static let notFound: Int32 = 127
}
