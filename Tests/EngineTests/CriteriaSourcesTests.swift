import Testing
@testable import Engine

/// Beyla's precedence between the command line, the environment and the file.
@Suite struct CriteriaSourcesTests {
    func sources(file: String? = nil, env: [String: String] = [:]) throws -> CriteriaSources {
        var sources = CriteriaSources()
        sources.environment = try ConfigEnvironment.read(env)
        if let file { sources.file = try ConfigFile.load(path: FixturePaths.config(file)) }
        return sources
    }

    @Test func fileAndEnvironmentPortsAddUp() throws {
        let resolved = try sources(file: "top-level-only.yml", env: ["BEYLA_OPEN_PORT": "443"]).resolve()
        #expect(resolved.criteria.topLevel.openPorts?.description == "80,443")
        #expect(resolved.criteria.topLevel.label == "open_port+environment+executable_name")
    }

    @Test func bothEnvironmentSpellingsAddUpAndEmptyIsIgnored() throws {
        let env = try ConfigEnvironment.read(["BEYLA_OPEN_PORT": "8080", "OTEL_EBPF_OPEN_PORT": "9000-9001", "BEYLA_EXECUTABLE_NAME": "  "])
        #expect(env.openPorts?.description == "8080,9000-9001")
        #expect(env.executableName == nil)
        #expect(env.used == ["BEYLA_OPEN_PORT", "OTEL_EBPF_OPEN_PORT"])
    }

    @Test func commandLinePortsReplaceFileAndEnvironment() throws {
        var sources = try sources(file: "top-level-only.yml", env: ["BEYLA_OPEN_PORT": "443"])
        sources.commandLinePorts = try PortRanges(parsing: "9090")
        #expect(sources.resolve().criteria.topLevel.openPorts?.description == "9090")
    }

    @Test func executableRegexComesFromCommandLineThenEnvironmentThenFile() throws {
        #expect(try sources(file: "top-level-only.yml").resolve().criteria.topLevel.exePathRegexp?.source == "^/usr/sbin/nginx")
        var sources = try sources(file: "top-level-only.yml", env: ["OTEL_EBPF_EXECUTABLE_PATH": "caddy"])
        #expect(sources.resolve().criteria.topLevel.exePathRegexp?.source == "caddy")
        sources.commandLineExe = try RegexPattern("envoy")
        #expect(sources.resolve().criteria.topLevel.exePathRegexp?.source == "envoy")
    }

    @Test func durationsComeFromCommandLineThenEnvironmentThenFileThenDefaults() throws {
        #expect(try sources().resolve().pollIntervalSeconds == 5)
        #expect(try sources().resolve().criteria.minProcessAgeSeconds == 5)
        #expect(try sources(file: "top-level-only.yml").resolve().pollIntervalSeconds == 10)
        let env = ["BEYLA_DISCOVERY_POLL_INTERVAL": "750ms", "BEYLA_MIN_PROCESS_AGE": "0s"]
        var sources = try sources(file: "full.yml", env: env)
        #expect(sources.resolve().pollIntervalSeconds == 0.75)
        #expect(sources.resolve().criteria.minProcessAgeSeconds == 0)
        sources.commandLinePollInterval = 3
        #expect(sources.resolve().pollIntervalSeconds == 3)
    }

    @Test func autoTargetExeIsAGlobOnTheTopLevelSelector() throws {
        let resolved = try sources(env: ["BEYLA_AUTO_TARGET_EXE": "*/server"]).resolve()
        #expect(resolved.criteria.topLevel.exePath == .glob(try Glob("*/server")))
        let fallback = try sources(env: ["OTEL_GO_AUTO_TARGET_EXE": "*/api"]).resolve()
        #expect(fallback.criteria.topLevel.exePath == .glob(try Glob("*/api")))
    }

    @Test(arguments: [
        ("BEYLA_OPEN_PORT", "80,,90", "item 2 is empty"),
        ("OTEL_EBPF_OPEN_PORT", "70000", "70000 is outside 1-65535"),
        ("BEYLA_EXECUTABLE_NAME", "(", "invalid regular expression"),
        ("BEYLA_AUTO_TARGET_EXE", "[x", "invalid glob"),
        ("BEYLA_MIN_PROCESS_AGE", "soon", "invalid duration"),
    ])
    func badEnvironmentValueNamesTheVariable(name: String, value: String, phrase: String) {
        let error = #expect(throws: ConfigError.self) { try ConfigEnvironment.read([name: value]) }
        #expect(error?.place == name)
        #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
    }

    @Test func fileSelectorsComeFirstAndTheTopLevelOneLast() throws {
        let resolved = try sources(file: "full.yml", env: ["BEYLA_OPEN_PORT": "8443"]).resolve()
        let labels = resolved.criteria.instrument.map(\.label)
        #expect(labels == ["web", "instrument[1]", "instrument[2]", "instrument[3]", "instrument[4]", "open_port+environment+executable_name"])
        #expect(resolved.criteria.exclusions.count == 1)
        #expect(resolved.criteria.defaultExclusions.map(\.description) == ["exe_path=glob *my-own-agent"])
        #expect(resolved.criteria.excludedSystemPaths == ["/opt/system/"])
        #expect(resolved.selectorSection == "instrument")
        #expect(resolved.surveySelectors == 1)
    }

    @Test func servicesAreUsedOnlyWhenInstrumentIsAbsent() throws {
        let services = try sources(file: "services.yml").resolve()
        #expect(services.selectorSection == "services")
        #expect(services.criteria.selectors.map(\.label) == ["regex-one", "glob-one"])
        #expect(services.criteria.exclusions.count == 1)
        let both = try sources(file: "both-sections.yml").resolve()
        #expect(both.criteria.selectors.map(\.description) == ["open_ports=8080"])
        #expect(both.warnings.contains { $0.contains("discovery.services is ignored") })
    }

    @Test func withoutAFileBeylasDefaultExclusionsStillApply() throws {
        let criteria = try sources().resolve().criteria
        #expect(criteria.defaultExclusions.count == 7)
        #expect(criteria.excludedSystemPaths.contains("/usr/sbin/"))
        #expect(criteria.isEmpty)
    }
}

extension CriteriaSourcesTests {
    @Test func targetPIDsAloneReplaceEverySelector() throws {
        var sources = try sources(file: "full.yml", env: ["BEYLA_TARGET_PID": "41, 42"])
        let resolved = sources.resolve()
        #expect(resolved.criteria.instrument.map(\.description) == ["target_pids=41,42"])
        #expect(resolved.criteria.instrument.first?.label == "environment")
        #expect(resolved.warnings.contains { $0.hasPrefix("target_pids is set") })
        sources.environment = ConfigEnvironment()
        sources.file = try ConfigFile.parse("target_pids: [7]\ndiscovery:\n  instrument:\n    - open_ports: 80\n", name: "pids")
        #expect(sources.resolve().criteria.instrument.map(\.label) == ["target_pids"])
        let error = #expect(throws: ConfigError.self) { try ConfigEnvironment.read(["BEYLA_TARGET_PID": "1,x"]) }
        #expect(error?.place == "BEYLA_TARGET_PID")
    }
}
