/// The release version, shared by `fairshare --version` and `fairshared --version`.
public enum FairshareVersion {
    public static let string = "0.2.0"
}
