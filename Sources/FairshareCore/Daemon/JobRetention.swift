/// Which ended jobs go when a user keeps more than the policy's
/// `kept_jobs_per_user`: the oldest first (by when they ended, then id).
public enum JobRetention {
    /// The ids of `jobs` (one user's) to retire so that at most `kept`
    /// ended ones remain; running jobs are never retired.
    public static func toRetire(_ jobs: some Sequence<Job>, kept: Int) -> [UInt64] {
        let ended = jobs.compactMap { job in job.end.map { (id: job.id, ended: $0.ended) } }
        guard ended.count > kept else { return [] }
        return ended.sorted { ($0.ended, $0.id) < ($1.ended, $1.id) }.prefix(ended.count - max(0, kept)).map(\.id)
    }
}
