import Testing
@testable import Engine

/// An OpenTelemetry eBPF Instrumentation (OBI v0.12) configuration means in discotop what it
/// means in OBI: its names for the top-level settings, the OTEL_EBPF_* variables, and the
/// settings for processes that export with their own SDK.
@Suite struct OBIParityTests {
    @Test func topLevelExecutablePathAndServiceIdentityMakeTheTopLevelSelector() throws {
        var sources = CriteriaSources()
        sources.file = try ConfigFile.load(path: FixturePaths.config("obi-v0.12.yml"))
        let criteria = sources.resolve().criteria
        #expect(criteria.instrument.count == 1)
        #expect(criteria.topLevel.exePathRegexp?.source == "python3")
        #expect(criteria.topLevel.name == "checkout" && criteria.topLevel.namespace == "shop")
        #expect(criteria.otelInstrumented.dropped == ["span_metrics"])
    }

    @Test func executableNameAndExecutablePathAreOneSetting() {
        #expect(throws: ConfigError.self) { try ConfigFile.parse("executable_name: a\nexecutable_path: b\n", name: "both.yml") }
    }

    @Test func excludingOTelInstrumentedServicesIsOnUnlessSaidOtherwise() throws {
        #expect(Criteria().otelInstrumented.dropped == ["metrics", "traces"])
        var sources = CriteriaSources()
        sources.file = try ConfigFile.load(path: FixturePaths.config("obi-v0.12.yml"))
        sources.environment = try ConfigEnvironment.read(["OTEL_EBPF_EXCLUDE_OTEL_INSTRUMENTED_SERVICES": "true"])
        // The environment over the file, as in OBI.
        #expect(sources.resolve().criteria.otelInstrumented.dropped == ["metrics", "traces", "span_metrics"])
        #expect(throws: ConfigError.self) { try ConfigEnvironment.read(["BEYLA_EXCLUDE_OTEL_INSTRUMENTED_SERVICES": "maybe"]) }
    }

    /// A value each setting accepts, to set it by one name and then the other.
    static func sample(_ variable: ConfigEnvironment.Variable) -> String {
        switch variable {
        case .openPort: "8080"
        case .autoTargetExe, .autoTargetLanguage: "*python*"
        case .executableName: "python"
        case .pollInterval, .minProcessAge: "2s"
        case .targetPID: "42"
        case .serviceName, .serviceNamespace: "shop"
        case .excludeOTelInstrumented, .excludeOTelInstrumentedSpanMetrics: "false"
        }
    }

    @Test(arguments: ConfigEnvironment.Variable.allCases)
    func everyVariableHasItsOTelEBPFFormAndBothMeanTheSame(variable: ConfigEnvironment.Variable) throws {
        let beyla = try #require(variable.names.first { $0.hasPrefix("BEYLA_") })
        let obi = try #require(variable.names.first { $0.hasPrefix("OTEL_EBPF_") })
        func resolved(_ name: String) throws -> String {
            var sources = CriteriaSources()
            sources.environment = try ConfigEnvironment.read([name: Self.sample(variable)])
            #expect(sources.environment.used == (name == "UNRELATED" ? [] : [name]))
            let r = sources.resolve()
            return "\(r.criteria.instrument.map(\.description)) \(r.criteria.topLevel.name ?? "-") \(r.criteria.topLevel.namespace ?? "-") "
                + "\(r.criteria.otelInstrumented) \(r.criteria.minProcessAgeSeconds) \(r.pollIntervalSeconds)"
        }
        let byBeyla = try resolved(beyla)
        #expect(byBeyla == (try resolved(obi)))
        #expect(byBeyla != (try resolved("UNRELATED")), "setting \(beyla) changes nothing")
    }

    @Test(arguments: [
        ("OTEL_EXPORTER_OTLP_ENDPOINT=http://collector:4317", "OTEL_EXPORTER_OTLP_ENDPOINT"),
        ("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=http://c:4318/v1/traces", "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"),
        ("OTEL_TRACES_EXPORTER=otlp", "OTEL_TRACES_EXPORTER"),
        ("JAVA_TOOL_OPTIONS=-javaagent:/otel/opentelemetry-javaagent.jar", "JAVA_TOOL_OPTIONS"),
    ] as [(String, String?)])
    func anOTLPExporterInTheEnvironmentIsTheSign(entry: String, sign: String?) {
        let environ = Array("PATH=/usr/bin\0\(entry)\0HOME=/root\0".utf8)
        #expect(OTelExport.evidence(environ: environ) == sign)
    }

    @Test func variablesThatNameNoOTLPExporterAreNoSign() {
        for entry in ["OTEL_TRACES_EXPORTER=none", "OTEL_SERVICE_NAME=web", "OTEL_EXPORTER_OTLP_ENDPOINT=", "JAVA_TOOL_OPTIONS=-Xmx1g", "NOT_OTEL_EXPORTER_OTLP_ENDPOINT",
                      "XOTEL_EXPORTER_OTLP_ENDPOINT=http://c:4317", "OTEL_EXPORTER_OTLP_ENDPOINTS=http://c:4317"] {
            #expect(OTelExport.evidence(environ: Array("\(entry)\0".utf8)) == nil, "\(entry)")
        }
    }

    @Test func aVariableSetTwiceCountsWithItsLastValue() {
        #expect(OTelExport.evidence(environ: Array("OTEL_TRACES_EXPORTER=otlp\0OTEL_TRACES_EXPORTER=none\0".utf8)) == nil)
        #expect(OTelExport.evidence(environ: Array("OTEL_TRACES_EXPORTER=none\0OTEL_TRACES_EXPORTER=OTLP\0".utf8)) == "OTEL_TRACES_EXPORTER")
    }
}
