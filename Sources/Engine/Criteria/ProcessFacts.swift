/// What selectors may ask about a process beyond its record. Read lazily: only a selector
/// with `cmd_args` reads the command line, only one with `languages` detects the language.
public protocol ProcessFacts: Sendable {
    /// The arguments after the program name, joined by spaces; nil when unreadable.
    func commandArguments(of pid: Int32) -> String?
    func language(of pid: Int32, exe: String?) -> Language
    /// discotop's own network namespace (`containers_only` means "a different one").
    var ownNetns: UInt64? { get }
    /// Nanoseconds since the process started; nil when unknown.
    func age(of record: ProcessRecord) -> UInt64?
}

/// The facts as /proc tells them.
public struct LiveProcessFacts: ProcessFacts {
    public let procRoot: String
    public let ownNetns: UInt64?
    let languages: LanguageDetector

    public init(procRoot: String = "/proc", languages: LanguageDetector = LanguageDetector()) {
        self.procRoot = procRoot
        self.languages = languages
        ownNetns = NetworkNamespace.own(procRoot: procRoot)
    }

    public func commandArguments(of pid: Int32) -> String? {
        guard case .value(let bytes) = SystemFiles.read("\(procRoot)/\(pid)/cmdline") else { return nil }
        return ProcessInspector.splitCmdline(bytes).dropFirst().joined(separator: " ")
    }

    public func language(of pid: Int32, exe: String?) -> Language {
        languages.language(of: pid, exe: exe)
    }

    public func age(of record: ProcessRecord) -> UInt64? {
        ProcessClock.age(startTicks: record.identity.startTime)
    }
}
