import FairshareCore

extension ReplyError {
    /// The answer to anyone outside group `fairshare`, wherever it is given.
    static func notInFairshareGroup(_ user: String) -> ReplyError {
        ReplyError(code: .permissionDenied,
                   message: "you are not in group 'fairshare'; ask an administrator to add you (adduser \(user) fairshare)")
    }
}
