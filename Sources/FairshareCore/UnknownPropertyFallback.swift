/// What a unit property falls back to when the running systemd does not
/// know it (an older systemd lacks a newer property, a newer one dropped an
/// old one). Decided where the property is built, never by the systemd
/// version: systemd itself says which property it rejected.
public indirect enum UnknownPropertyFallback: Hashable, Sendable {
    /// The call fails (with the D-Bus error and the property's name): for
    /// everything that enforces a limit or says what runs where.
    case fail
    /// Sent without it: a convenience whose absence only costs comfort.
    case omit
    /// Sent with this one in its place (`PIDFDs=` → `PIDs=`).
    case replace(UnitProperty)
}
