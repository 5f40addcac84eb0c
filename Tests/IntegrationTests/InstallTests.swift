import Foundation
import Glibc
import Testing

/// `make install DESTDIR=… PREFIX=…` and `make uninstall`, into a scratch directory, with the
/// build under test (CONFIGURATION=debug: `make test` built it and generated its man page
/// before the tests, as SwiftPM's lock on .build would keep generate-manual's build waiting now).
@Suite(.serialized) final class InstallTests {
    static let repository: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/")
    }()

    let destination = NSTemporaryDirectory() + "discotop-install-\(UUID().uuidString)"
    let prefix = "/opt/discotop-test"

    deinit {
        try? FileManager.default.removeItem(atPath: destination)
    }

    func make(_ target: String, _ extra: [String] = []) throws -> RunResult {
        try run("/usr/bin/make", ["-C", Self.repository, "--no-print-directory", target, "CONFIGURATION=debug",
                                  "DESTDIR=\(destination)", "PREFIX=\(prefix)"] + extra, timeout: 120)
    }

    /// Every file install puts down, relative to DESTDIR.
    var expected: [String] {
        ["bin/discotop", "lib/debug\(prefix)/bin/discotop.debug", "share/man/man1/discotop.1",
         "share/bash-completion/completions/discotop", "share/zsh/site-functions/_discotop",
         "share/fish/vendor_completions.d/discotop.fish", "share/doc/discotop/LICENSE"].map { "\(prefix)/\($0)" }
    }

    func files() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: destination)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            if FileManager.default.fileExists(atPath: "\(destination)/\(path)", isDirectory: &isDirectory), !isDirectory.boolValue {
                found.append("/" + path)
            }
        }
        return found.sorted()
    }

    func tool(_ executable: String, _ arguments: [String]) throws -> RunResult {
        try run(executable, arguments, environment: ["PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "MANWIDTH": "80"], timeout: 60)
    }

    @Test func installPutsEveryFileInPlaceAndUninstallRemovesThem() throws {
        // Installing must not build: a SwiftPM call here would wait on `swift test`'s own lock.
        let plan = try make("install", ["-n"])
        #expect(!plan.stdout.contains("swift build") && !plan.stdout.contains("swift package"),
                "the debug build or its man page is out of date; run `make man CONFIGURATION=debug` first:\n\(plan.stdout)")
        guard !plan.stdout.contains("swift ") else { return }

        let installed = try make("install")
        #expect(installed.status == 0, "\(installed.stdout)\(installed.stderr)")
        #expect(files() == expected.sorted())
        let root = destination + prefix

        // The binary: runs, stripped, pointing at its debug info; the debug file holds DWARF.
        let binary = "\(root)/bin/discotop"
        #expect(try tool(binary, ["--version"]).stdout == "discotop 0.1.0\n")
        let sections = try tool("/usr/bin/readelf", ["-S", "-W", binary]).stdout
        #expect(sections.contains(".gnu_debuglink"))
        #expect(!sections.contains(".debug_info") && !sections.contains(".symtab"), "\(sections)")
        // A hex dump: the CRC after the name may be any bytes, text or not.
        let link = try tool("/usr/bin/readelf", ["-x", ".gnu_debuglink", binary]).stdout
        #expect(link.contains("discotop.debug.."), "\(link)")
        let debug = try tool("/usr/bin/readelf", ["-S", "-W", "\(root)/lib/debug\(prefix)/bin/discotop.debug"]).stdout
        #expect(debug.contains(".debug_info"))
        let original = try FileManager.default.attributesOfItem(atPath: Self.repository + "/.build/debug/discotop")[.size] as! Int
        let stripped = try FileManager.default.attributesOfItem(atPath: binary)[.size] as! Int
        #expect(stripped < original, "stripped \(stripped) of \(original) bytes")

        // The man page renders, and documents the subcommands with their options.
        let page = try tool("/usr/bin/man", ["-l", "\(root)/share/man/man1/discotop.1"])
        #expect(page.status == 0, "\(page.stderr)")
        for expected in ["DISCOTOP(1)", "NAME", "discotop", "SYNOPSIS", "check-config", "--open-ports", "--poll-interval"] {
            #expect(page.stdout.contains(expected), "\(expected) missing from the man page:\n\(page.stdout.prefix(2000))")
        }

        // Completions: each shell's own script, naming the subcommands; bash's parses.
        let bash = "\(root)/share/bash-completion/completions/discotop"
        #expect(try tool("/bin/bash", ["-n", bash]).status == 0)
        for (path, marker) in [(bash, "complete"), ("\(root)/share/zsh/site-functions/_discotop", "#compdef discotop"),
                               ("\(root)/share/fish/vendor_completions.d/discotop.fish", "complete -c 'discotop'")] {
            let text = try String(contentsOfFile: path, encoding: .utf8)
            #expect(text.contains(marker) && text.contains("check-config"), "\(path)")
        }
        // bash really completes a subcommand from it.
        let completed = try tool("/bin/bash", ["-c", """
            source '\(bash)'; COMP_WORDS=(discotop chec); COMP_CWORD=1; COMP_LINE='discotop chec'; COMP_POINT=13
            $(complete -p discotop | sed -E 's/.*-F ([^ ]+).*/\\1/') discotop chec discotop; printf '%s\\n' "${COMPREPLY[@]}"
            """])
        #expect(completed.stdout.contains("check-config"), "\(completed.stdout)\(completed.stderr)")

        #expect(try String(contentsOfFile: "\(root)/share/doc/discotop/LICENSE", encoding: .utf8).contains("Apache License"))

        let removed = try make("uninstall")
        #expect(removed.status == 0, "\(removed.stderr)")
        #expect(files().isEmpty, "left behind: \(files())")
    }
}
