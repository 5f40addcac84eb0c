import Foundation
import Testing

/// Which packages the Makefile asks for: `make run` only what building and running need, `make
/// test` all the tests need; on a host without apt-get it names them and goes on.
@Suite struct MakefileDepsTests {
    static func make(_ arguments: [String]) throws -> RunResult {
        try run("/usr/bin/make", ["-C", InstallTests.repository, "--no-print-directory"] + arguments, timeout: 60)
    }

    /// The packages `make -n` shows the install step checking, over every step of `target`.
    static func checkedPackages(_ target: String) throws -> Set<String> {
        let plan = try make(["-n", target]).stdout
        var packages = Set<String>()
        for line in plan.split(separator: "\n") {
            guard let loop = line.range(of: "for p in "), let end = line.range(of: "; do", range: loop.upperBound..<line.endIndex) else { continue }
            packages.formUnion(line[loop.upperBound..<end.lowerBound].split(separator: " ").map(String.init))
        }
        return packages
    }

    @Test func runInstallsOnlyWhatRunningNeeds() throws {
        let packages = try Self.checkedPackages("run")
        #expect(packages == ["libbpf-dev", "libelf-dev", "zlib1g-dev", "libncursesw5-dev"], "\(packages)")
    }

    @Test func testInstallsWhatTheTestsUse() throws {
        let packages = try Self.checkedPackages("test")
        for needed in ["libbpf-dev", "libelf-dev", "tmux", "iproute2", "man-db", "golang-go", "gcc", "g++"] {
            #expect(packages.contains(needed), "\(needed) not in \(packages)")
        }
        #expect(!packages.contains("python3-pil") && !packages.contains("fonts-dejavu-core"))
        #expect(try Self.checkedPackages("screenshots").isSuperset(of: ["python3-pil", "fonts-dejavu-core", "tmux"]))
    }

    /// Without apt-get nothing can be installed: the packages are named and the build goes on.
    @Test func withoutAptGetThePackagesAreNamedAndTheBuildGoesOn() throws {
        let result = try Self.make(["deps", "APT_GET=discotop-no-such-apt-get", "RUN_PACKAGES=libelf-dev discotop-no-such-package"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("no discotop-no-such-apt-get here: discotop needs these packages (Debian names), going ahead as if installed: libelf-dev discotop-no-such-package"),
                "\(result.stdout)")
    }
}
