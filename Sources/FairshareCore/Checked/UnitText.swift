/// Free text for a unit setting (`Description=`, `User=`, an
/// `Environment=` entry, a fixed word such as `closed`): no control
/// characters, so it stays one setting when systemd writes it out as a
/// line. Text composed by the daemon from names it did not check uses
/// `init(replacingControlCharactersIn:)`.
public struct UnitText: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let string: String

    public init(checking text: String, field: String) throws(InputRejection) {
        try TextScan.rejectControls(text, field: field, what: "it")
        string = text
    }

    /// Each control character becomes `?`.
    public init(replacingControlCharactersIn text: String) {
        var scalars = String.UnicodeScalarView()
        for s in text.unicodeScalars { scalars.append(TextScan.isControl(s) ? "?" : s) }
        string = String(scalars)
    }

    /// A literal in the source (never text from outside); checked all the same.
    public init(stringLiteral value: StaticString) {
        self.init(replacingControlCharactersIn: value.description)
        precondition(string == value.description, "a unit text literal holds a control character")
    }

    public init(_ path: AbsolutePath) { string = path.string }
    public init(_ device: DevicePath) { string = device.string }
    public init(_ unit: UnitName) { string = unit.string }
    public init(_ number: some BinaryInteger) { string = String(number) }

    public var description: String { string }
}
