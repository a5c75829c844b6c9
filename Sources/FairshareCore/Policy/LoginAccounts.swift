/// Which accounts get the policy's `login:` caps: uids from `min_uid` to
/// `max_uid` (fairshare-policy(5), LOGIN CAPS), Debian's range for people
/// by default (login.defs' UID_MIN and UID_MAX). Root and systemd's
/// dynamic users are outside any range the policy can give.
public enum LoginAccounts {
    public static let defaultRange: ClosedRange<UInt32> = 1000...60000
    /// systemd's DynamicUser= range (systemd.exec(5)); `max_uid` stays below it.
    public static let dynamicUsers: ClosedRange<UInt32> = 61184...65519
}

extension Policy {
    /// The uids whose login slices the policy caps; empty when `min_uid`
    /// is above `max_uid` (an error the compiler reports).
    public var loginUIDs: ClosedRange<UInt32>? {
        let low = settings.minUID?.value ?? LoginAccounts.defaultRange.lowerBound
        let high = settings.maxUID?.value ?? LoginAccounts.defaultRange.upperBound
        guard low >= 1, low <= high, high < LoginAccounts.dynamicUsers.lowerBound else { return nil }
        return low...high
    }

    /// Whether `uid`'s login slice is the policy's to cap.
    public func capsLogins(ofUID uid: UInt32) -> Bool { loginUIDs?.contains(uid) ?? false }

    /// Whether any scope sets `login:`; when none does, no account is
    /// looked up and every login cap fairshared wrote goes.
    public var setsLoginCaps: Bool {
        !settings.global.login.isEmpty || settings.users.values.contains { !$0.login.isEmpty }
            || settings.groups.values.contains { !$0.login.isEmpty }
    }
}
