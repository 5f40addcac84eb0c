/// Go's duration text (`time.ParseDuration`), as Beyla's `poll_interval` and
/// `min_process_age` take it: `5s`, `500ms`, `1m30s`, `1.5h`; a bare `0` is zero.
public enum GoDuration {
    public struct Invalid: Error, Equatable, CustomStringConvertible {
        public let text: String
        public let reason: String
        public var description: String { "invalid duration \"\(text)\": \(reason); expected e.g. 5s, 500ms or 1m30s" }
    }

    /// Seconds in `text`.
    public static func seconds(_ text: String) throws(Invalid) -> Double {
        let trimmed = text.trimmingASCIISpaces()
        if trimmed == "0" { return 0 }
        guard !trimmed.isEmpty else { throw Invalid(text: text, reason: "it is empty") }
        var rest = Substring(trimmed)
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, let value = Double(number) else {
                throw Invalid(text: text, reason: "\"\(rest)\" does not start with a number")
            }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { $0.isLetter }
            guard let scale = units[String(unit)] else {
                throw Invalid(text: text, reason: unit.isEmpty ? "\(number) has no unit" : "unknown unit \"\(unit)\"")
            }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        return total
    }

    static let units: [String: Double] = [
        "ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600,
    ]
}

extension String {
    func trimmingASCIISpaces() -> String {
        var view = Substring(self)
        while let first = view.first, first == " " || first == "\t" { view.removeFirst() }
        while let last = view.last, last == " " || last == "\t" { view.removeLast() }
        return String(view)
    }
}
