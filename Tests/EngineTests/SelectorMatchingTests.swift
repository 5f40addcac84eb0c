import Testing
@testable import Engine

/// Facts the matcher asks for, set by the test instead of read from /proc.
struct FakeFacts: ProcessFacts {
    var arguments: [Int32: String] = [:]
    var languages: [Int32: Language] = [:]
    var ages: [Int32: UInt64] = [:]
    var ownNetns: UInt64? = 1

    func commandArguments(of pid: Int32) -> String? { arguments[pid] }
    func language(of pid: Int32, exe: String?) -> Language { languages[pid] ?? .native }
    func age(of record: ProcessRecord) -> UInt64? { ages[record.pid] ?? 3_600_000_000_000 }
}

/// Several selectors, exclusions, inheritance and age, with Beyla's semantics.
@Suite struct SelectorMatchingTests {
    func selector(_ index: Int, name: String? = nil, _ configure: (inout Selector) throws -> Void) rethrows -> Selector {
        var selector = Selector(origin: .file(section: "instrument", index: index, line: index + 3))
        selector.name = name
        try configure(&selector)
        return selector
    }

    func matcher(_ selectors: [Selector], exclusions: [Selector] = [], facts: FakeFacts = FakeFacts(), minAge: Double = 5) -> Matcher {
        var criteria = Criteria()
        criteria.selectors = selectors
        criteria.exclusions = exclusions
        criteria.minProcessAgeSeconds = minAge
        return Matcher(criteria: criteria, selfPID: 999, facts: facts)
    }

    /// The verdicts the discovery core gives `records` as one full scan.
    func judged(_ matcher: Matcher, _ records: [ProcessRecord]) -> [ProcessIdentity: MatchVerdict] {
        var core = DiscoveryCore(matcher: matcher)
        _ = core.ingest(.fullScan(Fixture.snapshot(records), portless: nil), now: 0)
        return Dictionary(uniqueKeysWithValues: core.verdicts.map { ($0.key, $0.value) })
    }

    @Test func anySelectorMayMatchAndEveryMatchingOneIsNamed() throws {
        let m = matcher([
            try selector(0, name: "web") { $0.openPorts = try PortRanges(parsing: "8080") },
            try selector(1) { $0.exePath = .glob(try Glob("*python*")) },
            try selector(2, name: "java") { $0.exePath = .glob(try Glob("*java")) },
        ])
        let both = m.verdict(for: Fixture.process(pid: 1, ports: [8080]))
        #expect(both.state == .matched)
        #expect(both.selectors == ["web", "instrument[1]"])
        #expect(both.reasons == ["open_ports 8080"])
        let second = m.verdict(for: Fixture.process(pid: 2, ports: [9090]))
        #expect(second.selectors == ["instrument[1]"])
        let none = m.verdict(for: Fixture.process(pid: 3, ports: [9090], exe: "/usr/bin/ruby"))
        #expect(none.state == .unmatched)
        #expect(none.failure == "web: open_ports: no listening port in 8080")
    }

    @Test func withinASelectorEveryFieldMustHoldAndTheFirstFailureIsReported() throws {
        let m = matcher([try selector(0) {
            $0.openPorts = try PortRanges(parsing: "8080")
            $0.exePath = .glob(try Glob("*java"))
        }])
        let verdict = m.verdict(for: Fixture.process(pid: 1, ports: [8080], exe: "/usr/bin/python3"))
        #expect(!verdict.matched)
        #expect(verdict.failure == "exe_path: /usr/bin/python3 does not match glob *java")
    }

    @Test func serviceNameAndNamespaceComeFromTheLastMatchingSelectorThatSetsThem() throws {
        let m = matcher([
            try selector(0, name: "first") { $0.openPorts = try PortRanges(parsing: "8080"); $0.namespace = "a" },
            try selector(1, name: "second") { $0.openPorts = try PortRanges(parsing: "8000-9000") },
        ])
        let verdict = m.verdict(for: Fixture.process(pid: 1, ports: [8080]))
        #expect(verdict.serviceName == "second" && verdict.serviceNamespace == "a")
    }

    @Test func exclusionsWinOverEveryMatch() throws {
        let m = matcher(
            [try selector(0) { $0.openPorts = try PortRanges(parsing: "8080") }],
            exclusions: [Selector(origin: .file(section: "exclude_instrument", index: 0, line: 9), exePath: .glob(try Glob("*prometheus")))])
        let verdict = m.verdict(for: Fixture.process(pid: 1, ports: [8080], exe: "/opt/prometheus"))
        #expect(verdict.state == .excluded)
        #expect(verdict.selectors == ["exclude_instrument[0]"])
        #expect(verdict.failure == "excluded by exclude_instrument[0]: exe_path /opt/prometheus")
        #expect(m.verdict(for: Fixture.process(pid: 2, ports: [8080], exe: "/opt/grafana")).matched)
    }

    @Test func beylasDefaultExclusionsAndSystemPathsApply() throws {
        let m = matcher([try selector(0) { $0.openPorts = try PortRanges(parsing: "1-65535") }])
        let beyla = m.verdict(for: Fixture.process(pid: 1, ports: [8080], exe: "/usr/local/bin/beyla"))
        #expect(beyla.state == .excluded && beyla.selectors == ["default_exclude[0]"])
        let contrib = m.verdict(for: Fixture.process(pid: 2, ports: [4317], exe: "/opt/otelcol-contrib-0.99"))
        #expect(contrib.state == .excluded)
        let sshd = m.verdict(for: Fixture.process(pid: 3, ports: [22], exe: "/usr/sbin/sshd"))
        #expect(sshd.state == .excluded)
        #expect(sshd.failure == "excluded: /usr/sbin/sshd is under the system path /usr/sbin/")
        #expect(m.verdict(for: Fixture.process(pid: 4, ports: [22], exe: "/usr/bin/sshd")).matched)
    }

    @Test func aPortlessChildInheritsItsParentsMatchDownTheTree() throws {
        let m = matcher([try selector(0, name: "web") { $0.openPorts = try PortRanges(parsing: "8080") }])
        let parent = Fixture.process(pid: 10, ports: [8080])
        let child = Fixture.process(pid: 11, ports: [], exe: "/usr/bin/worker", ppid: 10)
        let grandchild = Fixture.process(pid: 12, ports: [], exe: "/usr/bin/helper", ppid: 11)
        let listeningChild = Fixture.process(pid: 13, ports: [9090], ppid: 10)
        let stranger = Fixture.process(pid: 14, ports: [], ppid: 1)
        let verdicts = judged(m, [grandchild, child, parent, listeningChild, stranger])
        #expect(verdicts[child.identity]?.state == .inherited)
        #expect(verdicts[child.identity]?.inheritedFrom == 10)
        #expect(verdicts[child.identity]?.selectors == ["web"])
        #expect(verdicts[grandchild.identity]?.state == .inherited)
        #expect(verdicts[grandchild.identity]?.inheritedFrom == 11)
        // A child with ports of its own is judged on them, as Beyla judges it.
        #expect(verdicts[listeningChild.identity]?.state == .unmatched)
        // A port-less process nothing picks is not kept at all.
        #expect(verdicts[stranger.identity] == nil)
    }

    @Test func anExcludedChildDoesNotInherit() throws {
        let m = matcher([try selector(0) { $0.openPorts = try PortRanges(parsing: "8080") }])
        let parent = Fixture.process(pid: 10, ports: [8080])
        let agent = Fixture.process(pid: 11, ports: [], exe: "/opt/alloy", ppid: 10)
        #expect(m.verdict(for: agent, parent: m.verdict(for: parent)).state == .excluded)
        #expect(judged(m, [parent, agent])[agent.identity] == nil)
    }

    @Test func aYoungPortlessMatchIsPendingUntilMinProcessAge() throws {
        var facts = FakeFacts()
        facts.ages = [21: 1_000_000_000, 22: 1_000_000_000]
        let m = matcher([try selector(0) { $0.exePath = .glob(try Glob("*worker")) }], facts: facts, minAge: 5)
        let young = m.verdict(for: Fixture.process(pid: 21, ports: [], exe: "/usr/bin/worker"))
        #expect(young.state == .pending)
        #expect(young.matched == false && young.isCandidate)
        let wait = Double((young.pendingUntil ?? 0) &- WallClock.now()) / 1e9
        #expect(wait > 3.5 && wait <= 4.01)
        // A process that already listens is matched at once, however young (Beyla's rule).
        let listening = m.verdict(for: Fixture.process(pid: 22, ports: [8080], exe: "/usr/bin/worker"))
        #expect(listening.state == .matched)
        #expect(m.verdict(for: Fixture.process(pid: 23, ports: [], exe: "/usr/bin/worker")).state == .matched)
    }

    @Test func commandArgumentsLanguagesPIDsAndContainers() throws {
        var facts = FakeFacts()
        facts.arguments = [1: "-jar /srv/app.jar --port 8080", 2: "manage.py runserver"]
        facts.languages = [1: .java, 2: .python, 3: .go(nil)]
        let m = matcher(
            [
                try selector(0, name: "jar") { $0.cmdArgs = .glob(try Glob("*-jar *")) },
                try selector(1, name: "gopher") { $0.languages = .glob(try Glob("go")) },
                selector(2, name: "pinned") { $0.targetPIDs = [4] },
                selector(3, name: "boxed") { $0.containersOnly = true },
            ], facts: facts)
        #expect(m.verdict(for: Fixture.process(pid: 1)).selectors == ["jar"])
        #expect(m.verdict(for: Fixture.process(pid: 1)).reasons == ["cmd_args -jar /srv/app.jar --port 8080"])
        #expect(m.verdict(for: Fixture.process(pid: 2)).state == .unmatched)
        #expect(m.verdict(for: Fixture.process(pid: 3)).selectors == ["gopher"])
        #expect(m.verdict(for: Fixture.process(pid: 4)).selectors == ["pinned"])
        #expect(m.verdict(for: Fixture.process(pid: 5, netns: 77)).selectors == ["boxed"])
        #expect(m.verdict(for: Fixture.process(pid: 5, netns: 1)).state == .unmatched)
    }

    @Test func kubernetesAttributesAreNotEvaluatedAndSaySo() throws {
        let m = matcher([selector(0) { $0.unevaluated = [.init(key: "k8s_namespace", value: "frontend")] }])
        let verdict = m.verdict(for: Fixture.process(pid: 1))
        #expect(verdict.state == .unmatched)
        #expect(verdict.failure == "k8s_namespace: not evaluated outside Kubernetes")
    }

    @Test func outcomesListEverySelectorWithWhatHeldOrFirstFailed() throws {
        let m = matcher(
            [
                try selector(0, name: "web") { $0.openPorts = try PortRanges(parsing: "8080") },
                try selector(1) { $0.openPorts = try PortRanges(parsing: "9090"); $0.exePath = .glob(try Glob("*java")) },
            ])
        let outcomes = m.verdict(for: Fixture.process(pid: 1, ports: [9090])).outcomes
        let instrument = outcomes.filter { $0.role == .instrument }
        #expect(instrument.map(\.label) == ["web", "instrument[1]"])
        #expect(instrument.map(\.holds) == [false, false])
        #expect(instrument[1].detail == "exe_path: /usr/bin/python3 does not match glob *java")
        #expect(outcomes.filter { $0.role == .exclude }.count == 7)
    }
}
