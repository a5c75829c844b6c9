import SystemPackage

/// A failed system call: what was attempted, on what, and the errno.
public struct SystemError: Error, Equatable, Sendable, CustomStringConvertible {
    public var operation: String
    public var subject: String?
    public var errno: Errno

    public init(_ operation: String, _ subject: String? = nil, errno: Errno) {
        self.operation = operation
        self.subject = subject
        self.errno = errno
    }

    /// From the calling thread's `errno`, right after a failed call.
    public static func current(_ operation: String, _ subject: String? = nil) -> SystemError {
        SystemError(operation, subject, errno: Errno(rawValue: currentErrno()))
    }

    public var description: String {
        if let subject { return "\(operation) \(subject): \(errno)" }
        return "\(operation): \(errno)"
    }
}

#if canImport(Glibc)
import Glibc
func currentErrno() -> Int32 { Glibc.errno }
#endif
