#if canImport(Glibc)
import Glibc
#endif
import FairshareCore
import FairshareSystem

/// Applet selection for `main.swift`.
public enum Applet {
    public static func named(_ argv0: String) -> AppletName { AppletName.named(argv0) }

    /// busybox's answer to an unknown applet: a message and exit 127.
    public static func unknown(_ name: String) -> Never {
        StandardStreams.err("fairshare: unknown applet '\(name)'\n")
        exit(127)
    }
}
