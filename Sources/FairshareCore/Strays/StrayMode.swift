/// `strays: {mode: …}`: what the daemon does with processes of regular
/// accounts found outside both their login slice and their fairshare
/// slice (fairshare-policy(5), STRAYS).
public enum StrayMode: String, CaseIterable, Sendable {
    /// List them in `fairshare admin audit`; move nothing (the default).
    case report
    /// Also move each into a scope under the owner's `user-UID.slice`,
    /// so the login cap holds.
    case adopt
    /// No sweeps at all.
    case off
}
