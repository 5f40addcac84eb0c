import Foundation

/// Where the monitor's preferences live: `$XDG_CONFIG_HOME/discotop/monitor.json`, else
/// `~/.config/discotop/monitor.json`, as the XDG base directory spec says.
struct PreferencesFile {
    let path: String

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.hasPrefix("/") ? $0 : nil }
            ?? ((environment["HOME"] ?? NSHomeDirectory()) + "/.config")
        path = base + "/discotop/monitor.json"
    }

    init(path: String) {
        self.path = path
    }

    /// The saved preferences; nil when there are none. A file that does not parse is the
    /// user's to fix: the error says where.
    func load() throws(PreferencesError) -> MonitorPreferences? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        do {
            let decoder = JSONDecoder()
            decoder.keyDecodingStrategy = .convertFromSnakeCase
            return try decoder.decode(MonitorPreferences.self, from: data)
        } catch {
            throw PreferencesError(path: path, reason: "\(error)")
        }
    }

    /// Writes the file whole or not at all (a temporary file renamed over it).
    func save(_ preferences: MonitorPreferences) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        let data = try encoder.encode(preferences)
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}

struct PreferencesError: Error, CustomStringConvertible {
    var path: String
    var reason: String

    var description: String { "ignoring the monitor's preferences in \(path) (start with --no-config to skip them): \(reason)" }
}
