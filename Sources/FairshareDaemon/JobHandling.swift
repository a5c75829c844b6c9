import FairshareCore
import FairshareSystem

/// `fairshare run`, `jobs`, `logs` and `stop`: detached jobs as transient
/// services in their owner's slice, running as the owner, output appended
/// by systemd to `jobLogDirectory/UID/ID.log` (root-only; read through the
/// daemon). Owners and admin_group may do everything with a job,
/// reader_group may list and read, nobody else sees it.
extension RequestHandler {
    /// One `logs` reply carries at most this much output (base64 keeps it
    /// under the line limit).
    static let logPageBytes = 32 * 1024
    /// How long an ended job's record and log are kept.
    public static let retentionSeconds: UInt64 = 7 * 86_400

    /// Ten times a second while jobs run (a stat per running job): jobs
    /// past the output cap are stopped and their log cut.
    public func capJobOutput() {
        for job in state.jobs.values where job.end == nil {
            guard !jobsBeingCapped.contains(job.id), let size = FileIO.size(logPath(job)), size > jobLogCap else { continue }
            jobsBeingCapped.insert(job.id)
            controller.stopSlice(job.unit) { [self] _ in
                jobsBeingCapped.remove(job.id)
                let marker = "\n[fairshare: job \(job.id) stopped: its output reached the \(ByteSize(bytes: jobLogCap)) cap]\n"
                try? FileIO.truncate(logPath(job), to: jobLogCap, appending: Array(marker.utf8))
                trackedJobs[job.id] = nil
                state.jobs[job.id]?.end = JobEnd(exitStatus: nil, signal: 15, stopped: true, ended: now())
                state.notices[job.uid] = "your job \(job.id) was stopped: its output reached the \(ByteSize(bytes: jobLogCap)) cap"
                persist()
                events.record(DaemonEvent(.error, "stopped job \(job.id) of \(job.user): output above \(ByteSize(bytes: jobLogCap))",
                                          uid: job.uid, user: job.user))
            }
        }
    }

    /// Whether any job runs (the output watch sleeps while none does).
    public var hasRunningJobs: Bool { state.jobs.values.contains { $0.end == nil } }

    /// Once a second: ended jobs past the retention time are forgotten,
    /// their logs removed.
    public func forgetExpiredJobs() {
        let t = now()
        let expired = state.jobs.values.filter { job in job.end.map { $0.ended + Self.retentionSeconds < t } ?? false }
        guard !expired.isEmpty else { return }
        for job in expired {
            FileIO.remove(logPath(job))
            state.jobs[job.id] = nil
        }
        persist()
    }

    /// `fairshare status ID`: the seed's query — pid, exit status, whether it ended.
    func jobStatus(_ id: UInt64, for caller: Caller) -> Reply {
        switch access(id, by: caller, change: false) {
        case .success(let job):
            return .success(JobReply(job, unit: trackedJobs[job.id]).json)
        case .failure(let e): return .failure(e)
        }
    }

    func run(_ request: RunRequest, for caller: Caller, completion: @escaping (Reply) -> Void) {
        let limits = policy.daemonLimits
        let running = state.jobs.values.filter { $0.uid == caller.uid && $0.end == nil }.count
        if running >= limits.runningJobsPerUser {
            return completion(.failure(ReplyError(code: .refused,
                message: "you have \(running) jobs running, the most the policy allows (daemon.running_jobs_per_user); stop one with 'fairshare stop ID' first",
                details: ["limit": .uint(UInt64(limits.runningJobsPerUser))])))
        }
        retireEndedJobs(of: caller.uid, keeping: max(0, limits.keptJobsPerUser - 1))
        withAllocation(for: caller, completion: completion) { [self] allocation in
            if let refusal = Self.execLimitsRefusal(request.limits, allocation: allocation.resources) { return completion(.failure(refusal)) }
            let id = state.nextJobID
            state.nextJobID += 1
            let job = Job(id: id, uid: caller.uid, user: caller.userName, name: request.name?.string, argv: request.argv.map(\.string), started: now())
            let log: AbsolutePath
            do {
                log = try AbsolutePath(checking: logPath(job), field: "log")
                try FileIO.makeDirectory(jobLogDirectory, mode: 0o700)
                try FileIO.makeDirectory(FileIO.parentDirectory(of: log.string), mode: 0o700)
                try FileIO.createEmpty(log.string, mode: 0o600)
            } catch {
                persist()
                return completion(.failure(ReplyError(code: .internalError, message: "cannot create the job's log: \(error)")))
            }
            state.jobs[id] = job
            persist()
            controller.startJob(job.unit, slice: allocation.sliceName, uid: caller.uid, cwd: request.cwd, argv: request.argv,
                                environment: [UnitText(replacingControlCharactersIn: "FAIRSHARE_JOB=\(id)")], logPath: log,
                                limits: Self.scopeProperties(request.limits) + (request.ioWeight.map { [UnitProperty("IOWeight", .uint64($0))] } ?? []),
                                description: UnitText(replacingControlCharactersIn: "fairshare job \(id) of \(caller.userName)" + (request.name.map { ": \($0)" } ?? ""))) { [self] result in
                switch result {
                case .success:
                    jobStarted?()
                    events.record(DaemonEvent(.exec, "started job \(id) (\(job.unit)): \(job.argv.joined(separator: " "))",
                                              uid: caller.uid, user: caller.userName, resources: allocation.resources))
                    completion(.success(JobStartedReply(job: id, unit: job.unit.string, log: log.string).json))
                case .failure(let error):
                    state.jobs[id] = nil
                    persist()
                    completion(.failure(Self.systemdFailure(error)))
                }
            }
        }
    }

    /// The caller's jobs (or everyone's), ids above `after`, a page at a
    /// time so every reply fits a line (`next`: where the following page
    /// starts), like `admin list`.
    func jobs(all: Bool, after: UInt64? = nil, for caller: Caller) -> Reply {
        if all && caller.role < .reader {
            return .failure(ReplyError(code: .permissionDenied, message: "only root, admin_group or reader_group may list everyone's jobs"))
        }
        let mine = state.jobs.values.filter { (all || $0.uid == caller.uid) && $0.id > (after ?? 0) }.sorted { $0.id < $1.id }
        var rows: [JobReply] = []
        var size = 0
        for job in mine {
            if size > Self.listPageBytes, let last = rows.last {
                return .success(JobsPage(jobs: rows, next: last.job.id).json)
            }
            var row = JobReply(job, unit: trackedJobs[job.id])
            if job.end == nil {
                let usage = controller.usage(ofUnit: job.unit, inSlice: UnitNames.slice(uid: job.uid))
                row.usage = JobUsage(cpuUsec: usage.cpuUsec, mem: usage.memoryBytes)
            }
            size += row.json.serialized.utf8.count + 1
            rows.append(row)
        }
        return .success(JobsPage(jobs: rows).json)
    }

    func logs(job id: UInt64, offset: UInt64, for caller: Caller) -> Reply {
        let job: Job
        switch access(id, by: caller, change: false) {
        case .success(let j): job = j
        case .failure(let e): return .failure(e)
        }
        let page: (bytes: [UInt8], size: UInt64)
        do {
            page = try FileIO.read(logPath(job), offset: offset, count: Self.logPageBytes)
        } catch {
            return .failure(ReplyError(code: .noSuchJob, message: "the output of job \(id) is gone: \(error)"))
        }
        return .success(LogsReply(job: id, data: page.bytes, next: offset + UInt64(page.bytes.count), size: page.size,
                                  ended: job.end != nil, end: job.end).json)
    }

    func stop(job id: UInt64, by caller: Caller, completion: @escaping (Reply) -> Void) {
        let job: Job
        switch access(id, by: caller, change: true) {
        case .success(let j): job = j
        case .failure(let e): return completion(.failure(e))
        }
        guard job.end == nil else {
            return completion(.failure(ReplyError(code: .refused, message: "job \(id) has already ended")))
        }
        controller.stopSlice(job.unit) { [self] result in
            switch result {
            case .success:
                // The signals may have recorded the end already, with its status.
                var end = state.jobs[id]?.end ?? JobEnd(trackedJobs[id], stopped: true, ended: now(), signalIfUnknown: 15)
                end.stopped = true
                trackedJobs[id] = nil
                state.jobs[id]?.end = end
                persist()
                events.record(DaemonEvent(.released, "\(caller.userName) stopped job \(id) (\(job.unit))", uid: job.uid, user: job.user))
                completion(.success(StopReply(job: id).json))
            case .failure(let error):
                completion(.failure(Self.systemdFailure(error)))
            }
        }
    }

    /// Retires (record and log) the oldest ended jobs of `uid` beyond `kept`.
    func retireEndedJobs(of uid: UInt32, keeping kept: Int) {
        let retired = JobRetention.toRetire(state.jobs.values.filter { $0.uid == uid }, kept: kept)
        guard !retired.isEmpty else { return }
        for id in retired {
            if let job = state.jobs.removeValue(forKey: id) { FileIO.remove(logPath(job)) }
        }
        persist()
    }

    /// At start-up: every user down to the policy's `kept_jobs_per_user`.
    public func retireEndedJobsOfEveryone() {
        let kept = policy.daemonLimits.keptJobsPerUser
        for uid in Set(state.jobs.values.map(\.uid)) { retireEndedJobs(of: uid, keeping: kept) }
    }

    // MARK: - helpers

    func logPath(_ job: Job) -> String { "\(jobLogDirectory)/\(job.uid)/\(job.id).log" }

    /// The job if `caller` may see it (or change it).
    private func access(_ id: UInt64, by caller: Caller, change: Bool) -> Result<Job, ReplyError> {
        guard let job = state.jobs[id], job.uid == caller.uid || caller.role >= .reader else {
            return .failure(ReplyError(code: .noSuchJob, message: "no job \(id) of yours; 'fairshare jobs' lists them"))
        }
        if change && job.uid != caller.uid && caller.role < .admin {
            return .failure(ReplyError(code: .permissionDenied, message: "job \(id) belongs to \(job.user); only they and admin_group may change it"))
        }
        return .success(job)
    }

    /// systemd's signals about a job's service: an end is recorded when
    /// the state says the command ended or the unit is gone. Nothing is
    /// read on demand, so a failed read can never end a job.
    func jobUnitChanged(_ unit: UnitName, _ reading: JobStateReading) {
        guard let (uid, id) = UnitNames.job(ofService: unit.string), let job = state.jobs[id], job.uid == uid,
              job.end == nil else { return }
        switch reading {
        case .state(let s) where s.running || s.exitCode == 0: trackedJobs[id] = s
        case .state(let s): recordEnd(of: job, unit: s)
        case .gone: recordEnd(of: job, unit: nil)
        case .unreadable: break
        }
    }

    /// At start-up: one read per job that was running when the daemon
    /// stopped (it may have ended meanwhile); a failed read keeps it
    /// running until its signals say otherwise.
    public func readRunningJobs() {
        for job in state.jobs.values where job.end == nil {
            let reading = controller.jobState(job.unit)
            if case .unreadable(let e) = reading {
                events.record(DaemonEvent(.error, "cannot read the state of job \(job.id) (\(job.unit)): \(e); taken as running",
                                          uid: job.uid, user: job.user))
            }
            jobUnitChanged(job.unit, reading)
        }
    }

    /// Records how `job` ended and lets its unit go (it was kept only so
    /// its status could be read).
    private func recordEnd(of job: Job, unit: JobUnitState?) {
        trackedJobs[job.id] = nil
        state.jobs[job.id]?.end = JobEnd(unit, stopped: false, ended: now())
        persist()
        controller.stopSlice(job.unit) { _ in }
    }
}

extension JobEnd {
    /// From systemd's ExecMainCode and ExecMainStatus: CLD_EXITED (1)
    /// gives the exit status, CLD_KILLED and CLD_DUMPED the signal.
    init(_ unit: JobUnitState?, stopped: Bool, ended: UInt64, signalIfUnknown: Int32? = nil) {
        self.init(exitStatus: unit.flatMap { $0.exitCode == 1 ? $0.exitStatus : nil },
                  signal: unit.flatMap { $0.exitCode >= 2 ? $0.exitStatus : nil } ?? signalIfUnknown,
                  stopped: stopped, ended: ended)
    }
}

extension JobReply {
    /// The job for `jobs`: the record plus what systemd last said.
    init(_ job: Job, unit: JobUnitState?) {
        self.init(job: job, unit: job.unit.string,
                  state: job.end.map { $0.stopped ? .stopped : .exited } ?? .running,
                  pid: job.end == nil ? unit?.pid : nil)
    }
}
