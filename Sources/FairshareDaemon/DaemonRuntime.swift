import Dispatch
import FairshareCore
import FairshareSystem
import FairshareSystemd
#if canImport(Glibc)
import Glibc
#endif

/// Start-up, signals and shutdown around the server. Everything after
/// start-up runs on one serial queue, which owns the state and the bus.
final class DaemonRuntime: @unchecked Sendable {
    let config: DaemonConfiguration
    let queue = DispatchQueue(label: "fairshared")
    private var server: Server?
    private var handler: RequestHandler?
    private var controller: SystemdSliceController?
    private var loginCaps: LoginCaps?
    private var strays: StraySweeper?
    private var newUsers: SignalMatch?
    private var signalSources: [DispatchSourceSignal] = []
    private var ticker: DispatchSourceTimer?
    private var jobWatch: DispatchSourceTimer?
    private var watchdog: DispatchSourceTimer?
    private let events = JournalEventLog()
    private var socketActivated = false

    init(_ config: DaemonConfiguration) { self.config = config }

    /// Sets everything up, then serves until SIGTERM. Start-up failures throw
    /// before anything is listening.
    func run() throws -> Never {
        guard getuid() == 0 else { throw StartupError("must run as root (it manages systemd units and reads peer credentials)") }
        FileDescriptorLimit.raise()
        let users = SystemUserDatabase()
        guard let groupID = users.gid(ofGroup: config.groupName) else {
            throw StartupError("group '\(config.groupName)' does not exist; create it with 'addgroup --system \(config.groupName)' and add the users who may use fairshare")
        }
        let policyStore = DirectoryPolicyStore(directories: config.policyDirectories,
                                               overrideDirectory: config.policyDirectories.last ?? config.stateDirectory + "/policy.d",
                                               users: users)
        let policy = try Self.loadPolicy(policyStore)
        do {
            try FileIO.makeDirectory(config.stateDirectory, mode: 0o755)
        } catch {
            throw StartupError("cannot create the state directory: \(error)")
        }
        let store = FileStateStore(directory: config.stateDirectory)
        let state: DaemonState
        do {
            state = try store.load()
        } catch {
            throw StartupError("cannot read \(store.path): \(error)")
        }
        // The bus is read on `queue` only once every match is added (inside
        // the `queue.sync` below): sd-bus is not thread-safe, and a match
        // added from this thread while the queue reads would corrupt it.
        let controller = try SystemdSliceController(queue: queue)
        // A lost bus (dbus restarted) cannot be recovered in place: every
        // match and pending job is gone with it. Exit non-zero so systemd
        // restarts the daemon (Restart=on-failure), which re-adopts the
        // slices from state.json and systemd.
        controller.manager.bus.onClose = { [events] in
            events.record(DaemonEvent(.error, "lost the connection to the system bus; exiting so that systemd restarts fairshared"))
            exit(EX_UNAVAILABLE)
        }
        controller.manager.propertyTurnedDown = { [events] property, unit, error in
            events.record(DaemonEvent(.propertyUnknown,
                                      "systemd does not know the unit property \(property) (for \(unit): \(error)); sending its fallback from now on",
                                      fields: [("FAIRSHARE_PROPERTY", property), ("FAIRSHARE_UNIT", unit), ("FAIRSHARE_DBUS_ERROR", error.name)]))
        }
        let listenFD = try listeningSocket(group: groupID)

        let handler = RequestHandler(policy: policy, policyStore: policyStore, state: state, machine: MachineResources.capacity(),
                                     controller: controller, store: store, events: events,
                                     now: { UInt64(time(nil)) }, jobLogDirectory: config.stateDirectory + "/jobs")
        let server = Server(listenFD: listenFD, queue: queue, handler: handler, users: users, fairshareGID: groupID)
        let manager = controller.manager
        let reload = { (done: @escaping (String?) -> Void) in
            manager.reloadConfiguration { result in
                if case .failure(let error) = result { done("\(error)") } else { done(nil) }
            }
        }
        let settle = { (uids: Set<UInt32>, done: @escaping ([UInt32], [String]) -> Void) in controller.settleLoginSlices(uids, completion: done) }
        let loginCaps = LoginCaps(files: .system(reload: reload, settle: settle),
                                  accounts: { users.accounts(uids: $0) }, groupLookup: { users.groupNames(ofUser: $0) }, events: events,
                                  deviceRules: { DeviceInventory.loginRules() })
        do {
            newUsers = try LogindUsers.watchNewUsers(on: manager.bus) { uid in loginCaps.accountAppeared(uid: uid, name: users.userName(uid: uid)) }
        } catch {
            events.record(DaemonEvent(.error, "cannot watch logind for new accounts (\(error)); an account created later gets its login drop-in at the next reload"))
        }
        let strays = StraySweeper(queue: queue, mover: controller, events: events, policy: { [weak handler] in handler?.policy ?? Policy() },
                                  userName: { users.userName(uid: $0) }, now: { UInt64(time(nil)) })
        handler.strayAudit = { strays.audit() }
        handler.policyInstalled = { policy, who in
            loginCaps.apply(policy, reason: "policy reload by \(who)")
            strays.policyChanged()
        }
        self.strays = strays
        self.controller = controller
        self.handler = handler
        self.server = server
        self.loginCaps = loginCaps

        // Adopt what systemd already holds before taking requests.
        let failure: String? = queue.sync {
            controller.startDispatching(on: queue)
            let slices: [SliceInfo]
            do {
                slices = try controller.listSlicesNow { name in
                    UnitNames.uid(ofSlice: name).map { handler.state.allocations[$0] == nil } ?? true
                }
            } catch {
                return "cannot list fairshare slices: \(error)"
            }
            let result = handler.reconcile(with: slices, userName: { users.userName(uid: $0) ?? "#\($0)" })
            handler.retireEndedJobsOfEveryone()
            handler.readRunningJobs()
            handler.capPool()
            handler.reshapeAll()
            handler.applyDiskQuotasToAllUsers()
            loginCaps.apply(handler.policy, reason: "start")
            strays.start()
            server.start()
            installSignalHandlers()
            startTicker()
            events.record(DaemonEvent(.started, "fairshared \(FairshareVersion.string) started on \(config.socketPath): \(handler.state.allocations.count) allocations (\(result.adopted) adopted, \(result.dropped) dropped)"))
            ServiceNotifier.ready(status: statusLine())
            return nil
        }
        if let failure { throw StartupError(failure) }
        dispatchMain()
    }

    /// "3 users, 9.5 CPUs / 40G allocated"
    private func statusLine() -> String {
        guard let handler else { return "starting" }
        let h = handler.state.holdings
        return "\(h.holders) users, \(h.cpu.withUnit) / \(h.mem) allocated"
    }

    private func listeningSocket(group: UInt32) throws(StartupError) -> Int32 {
        if let fd = ServiceNotifier.listenFDs().first {
            socketActivated = true
            return fd
        }
        do {
            try FileIO.makeDirectory(FileIO.parentDirectory(of: config.socketPath), mode: 0o755)
            return try UnixSocket.listen(at: config.socketPath, mode: 0o660, group: group)
        } catch {
            if error.errno == .addressInUse {
                throw StartupError("another fairshared is already listening on \(config.socketPath)")
            }
            throw StartupError("cannot listen on \(config.socketPath): \(error)")
        }
    }

    /// Once a second: leases that are due end, idle allocations go back.
    /// Whether `jobWatch` is suspended (no job running).
    private var jobWatchPaused = false

    private func startTicker() {
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(deadline: .now() + .seconds(1), repeating: .seconds(1), leeway: .milliseconds(200))
        timer.setEventHandler { [self] in
            handler?.expireLeases()
            handler?.releaseIdle()
            handler?.reclaimMemory()
            handler?.forgetExpiredJobs()
        }
        ticker = timer
        timer.resume()
        // The output cap, checked ten times a second only while jobs run:
        // an idle daemon does not wake for it.
        let jobs = DispatchSource.makeTimerSource(queue: queue)
        jobs.schedule(deadline: .now() + .milliseconds(100), repeating: .milliseconds(100), leeway: .milliseconds(50))
        jobs.setEventHandler { [self] in
            handler?.capJobOutput()
            if handler?.hasRunningJobs != true, !jobWatchPaused {
                jobWatchPaused = true
                jobs.suspend()
            }
        }
        handler?.jobStarted = { [weak self] in
            guard let self, jobWatchPaused else { return }
            jobWatchPaused = false
            jobs.resume()
        }
        jobWatch = jobs
        jobs.resume()
        startWatchdog()
    }

    /// `WatchdogSec=`: pinged from the daemon's own queue, so a queue that
    /// stalls stops the pings and systemd restarts the daemon (state and
    /// slices survive a restart).
    private func startWatchdog() {
        guard let usec = ServiceNotifier.watchdogInterval() else { return }
        let timer = DispatchSource.makeTimerSource(queue: queue)
        let interval = DispatchTimeInterval.microseconds(Int(min(usec / 2, 3_600_000_000)))
        timer.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
        timer.setEventHandler { ServiceNotifier.watchdog() }
        watchdog = timer
        timer.resume()
    }

    private func installSignalHandlers() {
        for sig in [SIGHUP, SIGTERM, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: queue)
            source.setEventHandler { [self] in
                if sig == SIGHUP { reload() } else { shutdown() }
            }
            source.resume()
            signalSources.append(source)
        }
    }

    /// SIGHUP: the same as `fairshare admin reload`, answered in the journal.
    private func reload() {
        guard let handler else { return }
        ServiceNotifier.reloading()
        handler.reload(by: "SIGHUP") { [self] _ in ServiceNotifier.ready(status: statusLine()) }
    }

    /// The policy at start-up: every error is fatal, warnings are printed.
    static func loadPolicy(_ store: some PolicyStore) throws(StartupError) -> Policy {
        let result: PolicyCompiler.Result
        do {
            result = try store.compile()
        } catch {
            throw StartupError("cannot read the policy: \(error)")
        }
        guard let policy = result.policy else { throw StartupError("invalid policy:\n\(result.diagnostics.report)") }
        guard !policy.files.isEmpty else {
            throw StartupError("no policy: no *.yaml file in \((store as? DirectoryPolicyStore)?.directories.joined(separator: " or ") ?? "the policy directories"); install one (see fairshare-policy(5))")
        }
        for warning in result.diagnostics { StandardStreams.err("fairshared: \(warning)\n") }
        return policy
    }

    /// Stops accepting, lets requests in flight and those waiting their
    /// turn finish (at most 10 s), exits.
    private func shutdown() {
        ServiceNotifier.stopping()
        events.record(DaemonEvent(.stopping, "fairshared stopping; allocations stay in systemd"))
        server?.stopAccepting()
        drainThenExit(deadline: .now() + .seconds(10))
    }

    private func drainThenExit(deadline: DispatchTime) {
        let idle = handler?.busy != true && server?.hasWaitingRequests != true
        if idle || DispatchTime.now() >= deadline {
            if !socketActivated { unlink(config.socketPath) }
            exit(0)
        }
        queue.asyncAfter(deadline: .now() + .milliseconds(20)) { [self] in drainThenExit(deadline: deadline) }
    }
}

/// Why the daemon could not start; printed as `fairshared: …`.
struct StartupError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
