import Testing
@testable import Engine

/// Fixture files under Tests/Fixtures, found from this source file (tests run from anywhere).
enum FixturePaths {
    static let tests: String = {
        var parts = String(#filePath).split(separator: "/", omittingEmptySubsequences: false)
        parts.removeLast(2)
        return parts.joined(separator: "/")
    }()

    static func config(_ name: String) -> String { "\(tests)/Fixtures/configs/\(name)" }

    /// The real Beyla/OBI files beside the project, when present (tests may read ../shared).
    static let sharedConfigs = "\(tests)/../../shared/beyla-configs"
}

@Suite struct ConfigFileTests {
    @Test func everyKeyDiscotopReadsLoadsAndTheRestIsIgnored() throws {
        let file = try ConfigFile.load(path: FixturePaths.config("full.yml"))
        #expect(file.openPort?.description == "80")
        #expect(file.executableName?.source == "nginx")
        #expect(file.pollIntervalSeconds == 2)
        #expect(file.minProcessAgeSeconds == 90)
        #expect(file.excludedSystemPaths == ["/opt/system/"])
        let selectors = try #require(file.instrument)
        #expect(selectors.count == 5)
        let web = selectors[0]
        #expect(web.name == "web" && web.namespace == "shop" && web.label == "web")
        #expect(web.openPorts?.description == "8000-8999")
        #expect(web.exePath == .glob(try Glob("*python*")))
        #expect(web.origin == .file(section: "instrument", index: 0, line: 16))
        #expect(selectors[1].exePathRegexp?.source == "^/usr/bin/java$")
        #expect(selectors[1].cmdArgs == .glob(try Glob("*-jar*")))
        #expect(selectors[1].languages == .glob(try Glob("{java,go}")))
        #expect(selectors[1].label == "instrument[1]")
        #expect(selectors[2].targetPIDs == [1, 42] && selectors[2].containersOnly)
        #expect(selectors[3].openPorts?.description == "443,8443")
        #expect(selectors[4].unevaluated == [.init(key: "k8s_namespace", value: "frontend"), .init(key: "k8s_pod_labels", value: "app=web")])
        #expect(file.excludeInstrument?.first?.exePath == .glob(try Glob("*prometheus")))
        #expect(file.defaultExcludeInstrument?.count == 1)
        #expect(file.survey?.count == 1)
        #expect(file.services == nil)
        #expect(file.warnings.isEmpty)
    }

    @Test func servicesAreRegexesAndAnOBIGlobIsReadAsAGlobWithAWarning() throws {
        let file = try ConfigFile.load(path: FixturePaths.config("services.yml"))
        let services = try #require(file.services)
        #expect(services[0].exePath == .regex(try RegexPattern("python3?$")))
        #expect(services[1].exePath == .glob(try Glob("*dupe*")))
        #expect(file.warnings.count == 1)
        #expect(file.warnings.first?.contains("services.yml:7: discovery.services[1] exe_path \"*dupe*\" is not a valid regular expression") == true)
        #expect(file.excludeServices?.first?.exePath == .regex(try RegexPattern("prometheus")))
    }

    /// Each invalid fixture fails with its line and the words that say what is wrong.
    @Test(arguments: [
        ("unknown-discovery-key.yml", 5, "unknown key \"polling_interval\" in discovery; did you mean \"poll_interval\"?"),
        ("unknown-selector-key.yml", 4, "unknown key \"open_port\" in discovery.instrument[1]; did you mean \"open_ports\"?"),
        ("selector-without-criterion.yml", 4, "discovery.instrument[1] has no criterion"),
        ("descending-range.yml", 3, "the range ends (8000) below its start (9000)"),
        ("empty-port-item.yml", 1, "item 2 is empty"),
        ("duration-without-unit.yml", 2, "discovery.min_process_age: invalid duration \"5\": 5 has no unit"),
        ("unclosed-glob-class.yml", 3, "invalid glob \"*[java\""),
        ("bad-regex.yml", 3, "invalid regular expression \"(java\""),
        ("section-not-a-list.yml", 3, "discovery.instrument must be a list of selectors"),
        ("port-list-with-range.yml", 3, "list items must be single ports from 1 to 65535, not \"443-444\""),
        ("port-list-with-leading-zero.yml", 3, "list item 0100 has a leading zero, which YAML reads as octal (Beyla takes it as 64)"),
        ("not-a-mapping.yml", 1, "the file must be a mapping"),
        ("bad-bool.yml", 3, "containers_only must be true or false, not \"maybe\""),
        ("services-neither-regex-nor-glob.yml", 3, "invalid regular expression \"(unclosed[\""),
    ])
    func invalidFileNamesTheLineAndTheProblem(name: String, line: Int, phrase: String) throws {
        let path = FixturePaths.config("invalid/\(name)")
        let error = #expect(throws: ConfigError.self) { try ConfigFile.load(path: path) }
        #expect(error?.place == "\(path):\(line)")
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
    }

    @Test func brokenYAMLSaysSoWithItsPosition() throws {
        let path = FixturePaths.config("invalid/not-yaml.yml")
        let error = #expect(throws: ConfigError.self) { try ConfigFile.load(path: path) }
        #expect(error?.place == "\(path):3")
        #expect(error?.message.hasPrefix("not valid YAML: did not find expected node content") == true, "\(error?.message ?? "")")
    }

    @Test func missingFileNamesTheErrno() {
        let error = #expect(throws: ConfigError.self) { try ConfigFile.load(path: "/nonexistent/beyla.yml") }
        #expect(error?.description == "/nonexistent/beyla.yml: cannot read: No such file or directory (ENOENT)")
    }

    /// yaml.v3 reads a plain `0100` in a list as octal 64 and `080` as 80, while `"0100,080"`
    /// (the string form, read with Atoi) is 100 and 80: the list form is refused, saying so.
    @Test func leadingZerosAreDecimalInTheStringFormAndRefusedInAList() throws {
        let text = "discovery:\n  instrument:\n    - open_ports: \"0100,080\"\n"
        #expect(try ConfigFile.parse(text, name: "string").instrument?.first?.openPorts?.description == "80,100")
        #expect(try ConfigFile.parse("open_port: 0100\n", name: "scalar").openPort?.description == "100")
        let list = #expect(throws: ConfigError.self) {
            try ConfigFile.parse("discovery:\n  instrument:\n    - open_ports: [080]\n", name: "list")
        }
        #expect(list?.message.contains("list item 080 has a leading zero, which YAML reads as octal (Beyla takes it as 80)") == true, "\(list?.message ?? "")")
    }

    @Test func emptyAndCommentOnlyFilesHaveNoSelectors() throws {
        #expect(try ConfigFile.parse("", name: "empty").instrument == nil)
        #expect(try ConfigFile.parse("# nothing\n", name: "comment").instrument == nil)
        #expect(try ConfigFile.parse("discovery:\n", name: "null").instrument == nil)
    }

    @Test func anchorsAliasesAndMergeKeysWorkAsInBeyla() throws {
        let text = """
            x-common: &web
              open_ports: 8080
              exe_path: "*python*"
            discovery:
              instrument:
                - *web
                - <<: *web
                  name: merged
                  open_ports: 9090
            """
        let selectors = try #require(try ConfigFile.parse(text, name: "anchors").instrument)
        #expect(selectors.map(\.description) == ["open_ports=8080 exe_path=glob *python*", "open_ports=9090 exe_path=glob *python*"])
        #expect(selectors[1].name == "merged")
    }

    /// Sixteen lines of doubling merges would bring 65536 copies of one key (and 64 lines 2^64).
    @Test func mergesThatExpandWithoutBoundAreRefused() {
        var text = "a0: &a0 {open_ports: 80}\n"
        for level in 1...16 { text += "a\(level): &a\(level) {<<: [*a\(level - 1), *a\(level - 1)]}\n" }
        text += "discovery:\n  instrument:\n    - <<: *a16\n      name: laughs\n"
        let error = #expect(throws: ConfigError.self) { try ConfigFile.parse(text, name: "laughs") }
        #expect(error?.message.contains("more than 10000 keys") == true, "\(error?.message ?? "")")
    }

    /// Each level of a merge chain was one more recursion: 20000 of them overflowed the stack.
    @Test func mergeChainsDeeperThan64AreRefused() throws {
        func chain(_ levels: Int) -> String {
            var text = "a0: &a0 {open_ports: 80}\n"
            for level in 1...levels { text += "a\(level): &a\(level) {<<: *a\(level - 1)}\n" }
            return text + "discovery:\n  instrument:\n    - <<: *a\(levels)\n      name: chain\n"
        }
        #expect(try ConfigFile.parse(chain(63), name: "chain").instrument?.first?.openPorts?.description == "80")
        let error = #expect(throws: ConfigError.self) { try ConfigFile.parse(chain(200), name: "chain") }
        #expect(error?.message.contains("nest more than 64 deep") == true, "\(error?.message ?? "")")
    }

    @Test func nonUTF8BytesDoNotCrashTheLoader() throws {
        let file = try ConfigFile.parse("discovery:\n  instrument:\n    - name: \"caf\u{FFFD}\"\n      open_ports: 80\n", name: "latin1")
        #expect(file.instrument?.first?.name == "caf\u{FFFD}")
    }

    /// The real files from Beyla's repository and docs, and OBI's 2025 tests, all load unchanged.
    @Test(.enabled(if: SystemFiles.readText(FixturePaths.sharedConfigs + "/README.md") != nil, "../shared/beyla-configs is not beside the project"))
    func everyRealBeylaConfigLoads() throws {
        let names = [
            "contrib-beyla.yaml", "docs-instrumenter-config.yml", "integration-process.yml", "obi-2025-services-http2.yml",
            "obi-2025-services-multiexec.yml",
        ] + (1...11).map { "docs-service-discovery-\($0 < 10 ? "0" : "")\($0).yml" }
        for name in names {
            let file = try ConfigFile.load(path: "\(FixturePaths.sharedConfigs)/\(name)")
            var sources = CriteriaSources()
            sources.file = file
            _ = sources.resolve()
        }
        let contrib = try ConfigFile.load(path: "\(FixturePaths.sharedConfigs)/contrib-beyla.yaml")
        #expect(contrib.instrument?.map(\.description) == ["open_ports=8000"])
        let multiexec = try ConfigFile.load(path: "\(FixturePaths.sharedConfigs)/obi-2025-services-multiexec.yml")
        #expect(multiexec.services?.count == 12)
        #expect(multiexec.warnings.count == 3)
        #expect(multiexec.services?[1].label == "some-server")
        let k8s = try ConfigFile.load(path: "\(FixturePaths.sharedConfigs)/docs-service-discovery-05.yml")
        #expect(k8s.instrument?.allSatisfy { !$0.unevaluated.isEmpty } == true)
        let excludeOnly = try ConfigFile.load(path: "\(FixturePaths.sharedConfigs)/docs-service-discovery-09.yml")
        #expect(excludeOnly.instrument == nil && excludeOnly.excludeInstrument?.count == 1)
    }

    @Test(arguments: [("5s", 5.0), ("500ms", 0.5), ("1m30s", 90), ("1.5h", 5400), ("0", 0), (" 2s ", 2), ("250us", 0.00025)])
    func goDurations(text: String, seconds: Double) throws {
        #expect(try GoDuration.seconds(text) == seconds)
    }

    @Test(arguments: ["", "5", "s", "5x", "-5s", "5s3"])
    func badGoDurations(text: String) {
        #expect(throws: GoDuration.Invalid.self) { try GoDuration.seconds(text) }
    }
}
