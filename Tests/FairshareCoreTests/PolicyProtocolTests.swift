import Testing
@testable import FairshareCore

@Suite struct PolicyProtocolTests {
    @Test(arguments: [
        ClientRequest.reload,
        .showPolicy(user: nil),
        .showPolicy(user: "alice"),
        .setPolicy(PolicyChange(scope: .global, block: .max, cpu: .unlimited, mem: .mebibytes(1536), tasks: .infinity)),
        .setPolicy(PolicyChange(scope: .user("alice"), block: .defaults, cpu: CPUQuantity(usecPerSecond: 1_333_333))),
        .setPolicy(PolicyChange(scope: .group("students"), block: .max, reset: true)),
        .exec(ExecRequest(limits: ResourceRequest(cpu: CPUQuantity(usecPerSecond: 250_000), mem: .mebibytes(512), tasks: TaskLimit(10)),
                          name: "nightly.build-2")),
        .run(RunRequest(argv: ["/usr/bin/make", "-j2"], cwd: "/home/alice/src", name: "build", limits: ResourceRequest(cpu: CPUQuantity(cpus: 1)))),
        .run({ var r = RunRequest(argv: ["/bin/true"], cwd: "/"); r.ioWeight = 50; return r }()),
        .jobStatus(job: 9), .jobs(all: true), .jobs(all: false), .logs(job: 3, offset: 65536), .stop(job: 3),
    ])
    func policyRequestsRoundTrip(request: ClientRequest) throws {
        let line = request.json.serialized
        #expect(try ClientRequest.decode(JSON.parse(line)) == request)
    }

    @Test(arguments: [
        (#"{"v":1,"op":"set-policy","block":"max"}"#, "set-policy needs \"scope\": global, user or group"),
        (#"{"v":1,"op":"set-policy","scope":"user","block":"max"}"#, "set-policy for a user needs \"name\""),
        (#"{"v":1,"op":"set-policy","scope":"user","name":"a:b","block":"max"}"#, "invalid \"name\" at character 2: not a valid user or group name: it contains ':'"),
        (#"{"v":1,"op":"set-policy","scope":"global","block":"maximum"}"#, "set-policy needs \"block\": defaults or max"),
        (#"{"v":1,"op":"set-policy","scope":"global","block":"max","cpu":2}"#, "\"cpu\" must be a string such as \"2\" or \"8G\""),
        (#"{"v":1,"op":"set-policy","scope":"global","block":"defaults","mem":"infinity"}"#, "mem: 'infinity' is only allowed in 'max:' and 'login:'"),
        (#"{"v":1,"op":"show-policy","user":7}"#, "\"user\" must be a user name"),
        (#"{"v":1,"op":"exec","name":"a b"}"#, "invalid \"name\" at character 2: U+0020 is not allowed; a name may hold only letters, digits, '_', '.' and '-'"),
        (#"{"v":1,"op":"exec","name":"4242"}"#, "invalid \"name\": a name may not be all digits"),
        (#"{"v":1,"op":"exec","for":60}"#, "exec takes no \"for\", \"io\" or \"gpus\" (request them for the allocation)"),
        (#"{"v":1,"op":"request","io":{"weight":0}}"#, "\"io\".\"weight\" must be 1 to 10000"),
        (#"{"v":1,"op":"request","io":{"read_bw":{"vda":1}}}"#, "invalid \"io.read_bw\" at character 1: the path must be absolute (start with '/')"),
        (#"{"v":1,"op":"request","io":{"bw":{}}}"#, "unknown \"io\" key \"bw\""),
        (#"{"v":1,"op":"request","gpus":-1}"#, "\"gpus\" must be a whole number of GPUs"),
        (#"{"v":1,"op":"run","argv":[],"cwd":"/"}"#, "run needs \"argv\", a non-empty list of strings"),
        (#"{"v":1,"op":"run","argv":["x",1],"cwd":"/"}"#, "run needs \"argv\", a non-empty list of strings"),
        (#"{"v":1,"op":"run","argv":["/bin/x"],"cwd":"rel"}"#, "invalid \"cwd\" at character 1: the path must be absolute (start with '/')"),
        (#"{"v":1,"op":"run","argv":["x"],"cwd":"/"}"#, "invalid \"argv[0]\" at character 1: the path must be absolute (start with '/')"),
        (#"{"v":1,"op":"logs","job":0}"#, "\"job\" must be a job id (a positive number)"),
    ])
    func malformedPolicyRequestsAreRefused(line: String, message: String) throws {
        let error = #expect(throws: RequestDecodingError.self) { try ClientRequest.decode(JSON.parse(line)) }
        #expect(error?.code == .badRequest)
        #expect(error?.message == message)
    }
}
