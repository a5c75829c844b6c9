import Testing
@testable import FairshareCore

/// The checked types at the trust boundary: every client-controlled string
/// that reaches systemd, a path or a file passes one of these checks, and a
/// refusal names the field and the offending character.
@Suite struct CheckedInputTests {
    func rejection(_ body: () throws(InputRejection) -> Void) -> InputRejection? {
        do {
            try body()
            return nil
        } catch {
            return error
        }
    }

    @Test(arguments: [
        ("/tmp/x\nExecStopPost=+/bin/sh -c id", 7, "U+000A is a control character; a path may not hold control characters"),
        ("/tmp/x\r", 7, "U+000D is a control character; a path may not hold control characters"),
        ("/a\u{0}b", 3, "U+0000 is a control character; a path may not hold control characters"),
        ("/a\u{7F}", 3, "U+007F is a control character; a path may not hold control characters"),
        ("/a\u{85}", 3, "U+0085 is a control character; a path may not hold control characters"),
        ("relative/dir", 1, "the path must be absolute (start with '/')"),
        ("/tmp//x", 6, "the path holds '//'; write it with one '/'"),
        ("/tmp/x/", 8, "the path ends with '/'; write it without"),
        ("/tmp/./x", 6, "the path holds a '.' component; give it normalised (as realpath(1) prints it)"),
        ("/tmp/x/..", 8, "the path holds a '..' component; give it normalised (as realpath(1) prints it)"),
        ("/é/../x", 4, "the path holds a '..' component; give it normalised (as realpath(1) prints it)"),
    ])
    func pathsAreRefusedWithThePosition(text: String, position: Int, reason: String) {
        let e = rejection { () throws(InputRejection) in _ = try AbsolutePath(checking: text, field: "cwd") }
        #expect(e == InputRejection(field: "cwd", reason: reason, position: position))
    }

    @Test func normalisedPathsPassAsTheyAre() throws {
        for text in ["/", "/tmp", "/home/alice/my project", "/srv/data/%h/'quoted' \"x\"/a;b$c\\d", "/tmp/..x/.y/z..", "/ünï/çødé"] {
            #expect(try AbsolutePath(checking: text, field: "cwd").string == text)
        }
        let longest = "/" + String(repeating: "a", count: AbsolutePath.maxBytes - 1)
        #expect(try AbsolutePath(checking: longest, field: "cwd").string == longest)
        #expect(rejection { () throws(InputRejection) in _ = try AbsolutePath(checking: longest + "a", field: "cwd") }?.reason
                == "the path is longer than 4095 bytes (PATH_MAX)")
        #expect(rejection { () throws(InputRejection) in _ = try AbsolutePath(checking: "", field: "cwd") }?.reason == "a path is needed")
    }

    @Test func devicePathsAreAWhitelist() throws {
        #expect(try DevicePath(checking: "/dev/disk/by-path/pci-0000:00:1f.2-ata-1", field: "io.read_bw").string
                == "/dev/disk/by-path/pci-0000:00:1f.2-ata-1")
        let cases: [(String, Int, String)] = [
            ("/dev/vda\nMemoryMax=infinity", 9, "U+000A is a control character; a path may not hold control characters"),
            ("/dev/v da", 7, "'U+0020' cannot stand in a device path (letters, digits and / _ . : + @ - = , only)"),
            ("/dev/\"vda\"", 6, "'\"' cannot stand in a device path (letters, digits and / _ . : + @ - = , only)"),
            ("/dev/%h", 6, "'%' cannot stand in a device path (letters, digits and / _ . : + @ - = , only)"),
            ("/dev/a\\x20b", 7, "'\\' cannot stand in a device path (letters, digits and / _ . : + @ - = , only)"),
            ("/dev/../etc/passwd", 6, "the path holds a '..' component; give it normalised (as realpath(1) prints it)"),
        ]
        for (text, position, reason) in cases {
            let e = rejection { () throws(InputRejection) in _ = try DevicePath(checking: text, field: "io.read_bw") }
            #expect(e == InputRejection(field: "io.read_bw", reason: reason, position: position), "\(text)")
        }
    }

    @Test func namePartsKeepToSystemdsCharacters() throws {
        #expect(try UnitNamePart(checking: "build-1.x_y").string == "build-1.x_y")
        #expect(rejection { () throws(InputRejection) in _ = try UnitNamePart(checking: "a\nb") }
                == InputRejection(field: "name", reason: "U+000A is not allowed; a name may hold only letters, digits, '_', '.' and '-'", position: 2))
        #expect(rejection { () throws(InputRejection) in _ = try UnitNamePart(checking: "x\u{1B}[2J") }?.position == 2)
        #expect(rejection { () throws(InputRejection) in _ = try UnitNamePart(checking: "a/b") }?.reason
                == "'/' is not allowed; a name may hold only letters, digits, '_', '.' and '-'")
        #expect(rejection { () throws(InputRejection) in _ = try UnitNamePart(checking: String(repeating: "a", count: 65)) }?.reason
                == "a name has 1 to 64 characters")
    }

    @Test func commandArgumentsRefuseOnlyNUL() throws {
        for word in ["a\nExecStartPre=/bin/false", "; rm -rf /", "$HOME", "%h %n", "'\"", "\\", "\u{1B}[31m", ""] {
            #expect(try CommandArgument(checking: word, field: "argv[1]").string == word)
        }
        #expect(rejection { () throws(InputRejection) in _ = try CommandArgument(checking: "ab\u{0}c", field: "argv[2]") }
                == InputRejection(field: "argv[2]", reason: "U+0000 (NUL) cannot be passed to a program", position: 3))
    }

    @Test func unitTextHasNoControlCharacters() throws {
        #expect(rejection { () throws(InputRejection) in _ = try UnitText(checking: "job\nUser=root", field: "description") }?.position == 4)
        #expect(UnitText(replacingControlCharactersIn: "fairshare job 1 of a\u{1B}b\n").string == "fairshare job 1 of a?b?")
    }

    @Test func unitNamesReadFromSystemdAreChecked() throws {
        #expect(try UnitName(checking: "fairshare-1001.slice", field: "unit").string == "fairshare-1001.slice")
        #expect(rejection { () throws(InputRejection) in _ = try UnitName(checking: "fair share.slice", field: "unit") }?.position == 5)
        #expect(rejection { () throws(InputRejection) in _ = try UnitName(checking: "noSuffix", field: "unit") } != nil)
    }

    @Test func accountReferencesAreNamesOrUids() throws {
        #expect(try AccountReference(checking: "alice", field: "user") == .name("alice"))
        #expect(try AccountReference(checking: "1001", field: "user") == .uid(1001))
        #expect(rejection { () throws(InputRejection) in _ = try AccountReference(checking: "99999999999", field: "user") } != nil)
        #expect(rejection { () throws(InputRejection) in _ = try AccountReference(checking: "al\nice", field: "user") }
                == InputRejection(field: "user", reason: "not a valid user or group name: it contains whitespace or a control character", position: 3))
    }

    // MARK: - at decode time, over the wire

    func decodingError(_ line: String) -> RequestDecodingError? {
        do {
            _ = try ClientRequest.decode(JSON.parse(line))
            return nil
        } catch let e as RequestDecodingError {
            return e
        } catch {
            Issue.record("not a decoding error: \(error)")
            return nil
        }
    }

    /// The injection of the security report: a working directory holding a
    /// newline and a unit setting.
    @Test func aWorkingDirectoryWithANewlineIsRefused() {
        let line = #"{"v":1,"op":"run","argv":["/bin/sleep","300"],"cwd":"/tmp/x\nExecStopPost=+/bin/sh -c \"id > /root/pwned\""}"#
        let e = decodingError(line)
        #expect(e?.code == .badRequest)
        #expect(e?.field == "cwd")
        #expect(e?.position == 7)
        #expect(e?.replyError.details["field"] == "cwd")
        #expect(e?.replyError.details["position"] == 7)
    }

    @Test func anIODeviceWithANewlineIsRefused() {
        let e = decodingError(#"{"v":1,"op":"request","io":{"write_bw":{"/dev/vda 1\nMemoryMax=infinity\nDeviceAllow=/dev/sda":1048576}}}"#)
        #expect(e?.field == "io.write_bw")
        #expect(e?.position == 11) // the line break: control characters are looked for first
    }

    @Test func namesAndArgumentsAreCheckedAtDecode() {
        #expect(decodingError(#"{"v":1,"op":"exec","name":"x\nKillMode=none"}"#)?.field == "name")
        #expect(decodingError(#"{"v":1,"op":"run","argv":["/bin/echo","a\u0000b"],"cwd":"/"}"#)?.field == "argv[1]")
        #expect(decodingError(#"{"v":1,"op":"run","argv":["/bin/../bin/sh"],"cwd":"/"}"#)?.field == "argv[0]")
        #expect(decodingError(#"{"v":1,"op":"revoke","user":"alice\nbob"}"#)?.field == "user")
        #expect(decodingError(#"{"v":1,"op":"show-policy","user":"a,b"}"#)?.position == 2)
    }

    @Test func argumentsWithShellAndSystemdCharactersRoundTrip() throws {
        let words: [CommandArgument] = ["/bin/printf", "%s\n", "a\nExecStartPre=/bin/false", "; $HOME %h 'q' \"d\" \\"]
        let request = ClientRequest.run(RunRequest(argv: words, cwd: "/srv/my dir/%h"))
        #expect(try ClientRequest.decode(JSON.parse(request.json.serialized)) == request)
    }
}
