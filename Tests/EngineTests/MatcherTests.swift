import Testing
@testable import Engine

@Suite struct MatcherTests {
    func matcher(ports: String? = nil, exe: String? = nil, selfPID: Int32 = 999) throws -> Matcher {
        Matcher(
            criteria: Criteria(openPorts: try ports.map { try PortRanges(parsing: $0) }, exePath: try exe.map { try RegexPattern($0) }),
            selfPID: selfPID)
    }

    @Test func portInRangeMatchesAndSaysWhich() throws {
        let verdict = try matcher(ports: "8000-8999").verdict(for: Fixture.process(pid: 1, ports: [22, 8080]))
        #expect(verdict.matched)
        #expect(verdict.reasons == ["open_ports 8080"])
    }

    @Test func portOutsideRangeFailsWithTheReason() throws {
        let verdict = try matcher(ports: "443").verdict(for: Fixture.process(pid: 1, ports: [80]))
        #expect(!verdict.matched)
        #expect(verdict.failure == "open_ports: no listening port in 443")
    }

    @Test func exePathIsAnUnanchoredRegex() throws {
        #expect(try matcher(exe: "python").verdict(for: Fixture.process(pid: 1, exe: "/usr/bin/python3.11")).matched)
        #expect(try !matcher(exe: "^python").verdict(for: Fixture.process(pid: 1, exe: "/usr/bin/python3.11")).matched)
    }

    @Test func allGivenCriteriaMustHold() throws {
        let both = try matcher(ports: "8080", exe: "java")
        #expect(!both.verdict(for: Fixture.process(pid: 1, ports: [8080], exe: "/usr/bin/python3")).matched)
        #expect(!both.verdict(for: Fixture.process(pid: 1, ports: [9090], exe: "/usr/bin/java")).matched)
        #expect(both.verdict(for: Fixture.process(pid: 1, ports: [8080], exe: "/usr/bin/java")).matched)
    }

    @Test func unknownPortsNeverMatchAPortCriterion() throws {
        let verdict = try matcher(ports: "1-65535").verdict(for: Fixture.process(pid: 1, ports: nil))
        #expect(!verdict.matched)
        #expect(verdict.failure?.contains("unknown") == true)
    }

    @Test func neverMatchesItself() throws {
        #expect(try !matcher(ports: "8080", selfPID: 42).verdict(for: Fixture.process(pid: 42, ports: [8080])).matched)
    }

    @Test func noCriteriaMatchesNothing() throws {
        #expect(try !matcher().verdict(for: Fixture.process(pid: 1)).matched)
    }

    @Test func invalidRegexIsAnError() {
        #expect(throws: RegexPattern.Invalid.self) { try RegexPattern("(") }
    }
}
