import Glibc

/// The runtime a process runs on, detected as Beyla's `FindProcLanguage` does.
public enum Language: Sendable, Equatable, CustomStringConvertible {
    case go(GoBuildInfo?)
    case java, python, nodejs, ruby, dotnet, rust, php, deno
    case cpp, native
    case unknown

    /// The name `languages` selectors match, as Beyla spells its instrumentable types.
    public var selectorName: String {
        switch self {
        case .go: "go"
        case .java: "java"
        case .python: "python"
        case .nodejs, .deno: "nodejs"
        case .ruby: "ruby"
        case .dotnet: "dotnet"
        case .rust: "rust"
        case .php: "php"
        case .cpp: "cpp"
        case .native, .unknown: "generic"
        }
    }

    public var description: String {
        switch self {
        case .go(let info?):
            var text = "Go \(info.version.dropFirst(2))"
            if let module = info.module ?? info.path { text += " (\(module))" }
            return text
        case .go(nil): return "Go"
        case .java: return "Java"
        case .python: return "Python"
        case .nodejs: return "Node.js"
        case .ruby: return "Ruby"
        case .dotnet: return ".NET"
        case .rust: return "Rust"
        case .php: return "PHP"
        case .deno: return "Deno"
        case .cpp: return "C++"
        case .native: return "C/native"
        case .unknown: return "unknown"
        }
    }
}

/// Detects a process's language: mapped runtime libraries first, then the executable's ELF
/// (Go build info, Rust panic symbol), then its name, then the C++ runtime. Results are cached
/// by the executable's (device, inode), so a fleet of workers costs one ELF read.
public final class LanguageDetector: Sendable {
    private let cache = Locked<[String: Language]>([:])
    let procRoot: String

    public init(procRoot: String = "/proc") {
        self.procRoot = procRoot
    }

    public func language(of pid: Int32, exe: String?) -> Language {
        let maps = SystemFiles.readText("\(procRoot)/\(pid)/maps") ?? ""
        if let runtime = Self.runtime(fromMaps: maps) { return runtime }
        var info = stat()
        let exeLink = "\(procRoot)/\(pid)/exe"
        guard stat(exeLink, &info) == 0 else { return exe.map { Self.byName($0) ?? .unknown } ?? .unknown }
        let key = "\(info.st_dev):\(info.st_ino)"
        if let cached = cache.withLock({ $0[key] }) { return cached }
        var language = Self.fromELF(exeLink, exe: exe) ?? exe.flatMap(Self.byName) ?? .unknown
        if language == .native, maps.contains("libstdc++") || maps.contains("libc++.so") { language = .cpp }
        cache.withLock { $0[key] = language }
        return language
    }

    static func runtime(fromMaps maps: String) -> Language? {
        if maps.contains("libcoreclr.so") { return .dotnet }
        if maps.contains("/libjvm.so") { return .java }
        if maps.contains("libpython3") { return .python }
        if maps.contains("libruby") { return .ruby }
        if maps.contains("libnode.so") { return .nodejs }
        return nil
    }

    /// The ELF at `path` (the /proc exe link, so a deleted or replaced binary still reads);
    /// `exe` is its real path, for name-based rules.
    static func fromELF(_ path: String, exe: String?) -> Language? {
        guard let elf = ELFFile(path: path) else { return nil }
        if let buildInfo = elf.section(".go.buildinfo") {
            return .go(GoBuildInfo.parse(elf.bytes(of: buildInfo, limit: 64 * 1024)))
        }
        if elf.section(".gopclntab") != nil { return .go(nil) }
        for table in [".strtab", ".dynstr"] {
            if let section = elf.section(table), elf.contains(rustPanic, in: section, limit: 16 << 20) {
                return .rust
            }
        }
        // Interpreters with their runtime linked in statically (Debian's python3) are
        // recognised by name before they are called native.
        if let named = exe.flatMap(byName) { return named }
        return .native
    }

    /// The symbol every Rust binary's panic machinery defines.
    private static let rustPanic = Array("rust_panic".utf8)

    static func byName(_ exe: String) -> Language? {
        let name = exe.split(separator: "/").last.map(String.init) ?? exe
        if name == "node" || name.hasPrefix("node") && name.dropFirst(4).allSatisfy(\.isNumber) { return .nodejs }
        if name == "deno" { return .deno }
        if name.hasPrefix("python") { return .python }
        if name.hasPrefix("ruby") { return .ruby }
        if name == "java" { return .java }
        if exe.contains("php") { return .php }
        return nil
    }
}
