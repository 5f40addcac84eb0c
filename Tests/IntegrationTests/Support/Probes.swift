import Foundation
import Glibc

/// Small real programs for language detection and matching, compiled once per test run from
/// Tests/Fixtures/probes with Debian's golang-go, gcc and g++ (`make test` installs them).
enum Probes {
    static let fixtures: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(3)
        return parts.joined(separator: "/") + "/Fixtures"
    }()

    static func config(_ name: String) -> String { "\(fixtures)/configs/\(name)" }

    struct Built {
        var go: String
        var c: String
        var cpp: String
        /// The C probe under the name the e2e config's `cee` selector picks.
        var namedC: String
        /// The C probe under the name the e2e config excludes.
        var excludedC: String
    }

    /// Builds every probe; throws with the compiler's message when one does not build.
    static let built: Result<Built, ProbeBuildFailed> = {
        let directory = NSTemporaryDirectory() + "discotop-probes-\(getpid())"
        let source = "\(fixtures)/probes"
        let script = """
            set -e
            mkdir -p '\(directory)/go'
            cp '\(source)/probe.go' '\(directory)/go/main.go'
            printf 'module example.com/discotop/probe\\n\\ngo 1.19\\n' > '\(directory)/go/go.mod'
            cd '\(directory)/go'
            GOCACHE='\(directory)/gocache' GOPATH='\(directory)/gopath' GOFLAGS=-mod=mod GOPROXY=off go build -o '\(directory)/go-probe' .
            cc -O1 -o '\(directory)/c-probe' '\(source)/probe.c'
            c++ -O1 -o '\(directory)/cpp-probe' '\(source)/probe.cpp'
            cp '\(directory)/c-probe' '\(directory)/discotop-c-probe'
            cp '\(directory)/c-probe' '\(directory)/excluded-probe'
            """
        do {
            let result = try run("/bin/sh", ["-c", script])
            guard result.status == 0 else { return .failure(ProbeBuildFailed(output: result.stderr)) }
        } catch {
            return .failure(ProbeBuildFailed(output: "\(error)"))
        }
        return .success(Built(
            go: "\(directory)/go-probe", c: "\(directory)/c-probe", cpp: "\(directory)/cpp-probe",
            namedC: "\(directory)/discotop-c-probe", excludedC: "\(directory)/excluded-probe"))
    }()
}

struct ProbeBuildFailed: Error, CustomStringConvertible {
    var output: String
    var description: String { "building the test probes failed: \(output)" }
}
