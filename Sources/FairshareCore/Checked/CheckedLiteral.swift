/// A checked type that a literal in the source may spell: the literal goes
/// through the same check as text from outside, and a literal that fails it
/// is a programming error (a trap), never input.
public protocol CheckedLiteral: ExpressibleByStringLiteral where StringLiteralType == String {
    init(checking text: String, field: String) throws(InputRejection)
}

extension CheckedLiteral {
    public init(stringLiteral text: String) {
        do {
            try self.init(checking: text, field: "literal")
        } catch {
            preconditionFailure("\(error)")
        }
    }
}
