/// A configuration problem, naming where it is: the file and line, or the variable.
public struct ConfigError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `beyla.yml:12`, `BEYLA_OPEN_PORT`, `--open-ports`.
    public let place: String
    public let message: String

    public init(place: String, message: String) {
        self.place = place
        self.message = message
    }

    public var description: String { "\(place): \(message)" }
}
